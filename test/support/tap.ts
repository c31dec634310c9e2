// The type of a subtest's `t`, for helpers that take one.
import type { Test as TapTest } from 'tap';

type BuiltPlugins = TapTest extends { t: infer T } ? T : never;
export type Test = TapTest & BuiltPlugins;
