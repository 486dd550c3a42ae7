// Questions about other processes on this machine, for files and rows that record which
// process owns them (an output file's temporaries, an archive's index build).
#pragma once

namespace arxiv_digest {

// Whether process `pid` may still be running: it exists (or belongs to another user, which
// kill(2) may not probe) and is not a zombie. A killed process stays a zombie until its parent
// reaps it, which for an orphan (its parent killed with it, e.g. by timeout(1) signalling its
// group) is whenever PID 1 gets to it; a zombie does nothing any more. Without /proc, a process
// that exists counts as running. `pid` <= 0 is never running.
bool process_may_be_running(long pid);

}  // namespace arxiv_digest
