// Teardown in reverse order of setup, run once however the bench ends (done, failed or
// interrupted), so a broken run still stops its servers and drops its schema.
export class Cleanup {
  private readonly steps: { name: string; fn: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  defer(name: string, fn: () => Promise<void>): void {
    this.steps.push({ name, fn });
  }

  run(): Promise<void> {
    return (this.running ??= this.unwind());
  }

  private async unwind(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      // One failed step must not leave the later ones (the schema drop) undone.
      try {
        await step.fn();
      } catch (error) {
        process.stderr.write(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
}
