// The words of each mail. Plain text: codes stand on a line of their own so that they
// are easy to copy (and for tests to find).
export interface MailText {
  subject: string;
  text: string;
}

const link = (appUrl: string | undefined, path: string, params: Record<string, string>) =>
  appUrl ? `\nOr open: ${appUrl.replace(/\/$/, '')}${path}?${new URLSearchParams(params).toString()}\n` : '';

export const verificationMail = (code: string, appUrl?: string): MailText => ({
  subject: 'Verify your Stockbook email address',
  text: `Welcome to Stockbook.

Enter this code to verify your email address:

${code}

It is valid for 24 hours.
${link(appUrl, '/verify-email', { code })}
If you did not sign up, ignore this message.
`,
});

export const passwordResetMail = (code: string, ip: string | null, appUrl?: string): MailText => ({
  subject: 'Reset your Stockbook password',
  text: `Someone${ip ? ` (from ${ip})` : ''} asked to reset the password of your Stockbook account.

Enter this code to choose a new password:

${code}

It is valid for 1 hour.
${link(appUrl, '/reset-password', { code })}
If this was not you, ignore this message: your password stays as it is.
`,
});

export const invitationMail = (input: { code: string; inviterName: string; companyName: string; role: string; expiresAt: string }, appUrl?: string): MailText => ({
  subject: `${input.inviterName} invites you to ${input.companyName} on Stockbook`,
  text: `${input.inviterName} invites you to join ${input.companyName} on Stockbook as ${input.role}.

Your invitation code:

${input.code}

It can be used once, until ${input.expiresAt}.
${link(appUrl, '/accept-invitation', { code: input.code })}
If you were not expecting this, ignore this message.
`,
});
