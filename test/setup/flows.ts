// The event topology the worker registers at start-up (src/index.ts), for tests that import modules
// directly: publishing, consuming and the AsyncAPI document all read it.
import "../../src/flows";
