import { UsageError, parseRebuildArgs } from './args.js';

describe('parseRebuildArgs', () => {
  it('has defaults', () => {
    expect(parseRebuildArgs([])).toEqual({ help: false, batchSize: 500, schema: 'read_model_rebuild' });
  });

  it('reads the batch size and the schema', () => {
    expect(parseRebuildArgs(['--batch-size', '50', '--schema', 'rebuild_2'])).toEqual({
      help: false,
      batchSize: 50,
      schema: 'rebuild_2',
    });
    expect(parseRebuildArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--batch-size', '0'], /--batch-size: must be a whole number of events, at least 1 \(got "0"\)/],
    [['--batch-size', '2.5'], /--batch-size: must be a whole number/],
    [['--batch-size', 'many'], /--batch-size: must be a whole number/],
    [['--schema', 'public'], /--schema: must not be the live schema/],
    [['--schema', 'Rebuild'], /--schema: must be 1 to 63 lower-case letters/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRebuildArgs(argv)).toThrow(UsageError);
    expect(() => parseRebuildArgs(argv)).toThrow(message);
  });
});
