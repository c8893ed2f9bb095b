#!/usr/bin/env bash
# Benchmark: the explorer's start-up and idle cost, against Bubble Tea's
# own floor measured in the same run.
#
#  1. Launch to first frame under a real pty (100x30), the explorer and
#     bench/tuiref (one styled screen, alt screen) alternating, N runs
#     each: prints the medians and the ratio (target <= 1.3). The pty
#     side answers the terminal queries a real terminal answers (OSC 11
#     background colour, cursor position), so --theme auto is measured
#     with its background detection. "First frame" is the moment the
#     screen's own text arrives, not the alt-screen switch before it.
#  2. The explorer's resident memory one second after its first frame
#     (target <= 25 MiB).
#  3. go test -bench BenchmarkView: the heaviest screen's View() (target
#     <= 2 ms a frame).
#
#   bench/tui.sh            N=20 runs each
#   N=50 bench/tui.sh
#   AUTHSCOPE_BIN=/tmp/authscope bench/tui.sh   (SKIP_GO_BENCH=1 skips step 3)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# AUTHSCOPE_BIN=path measures an already built binary instead.
if [ -n "${AUTHSCOPE_BIN:-}" ]; then cp "$AUTHSCOPE_BIN" "$work/authscope"; else go build -o "$work/authscope" .; fi
go build -o "$work/tuiref" ./bench/tuiref

python3 - "$work/authscope" "$work/tuiref" "$N" <<'PY'
import fcntl, os, pty, select, signal, struct, sys, termios, time, statistics

explorer, ref, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

def launch(argv, marker, rss=False):
    """Start argv on a fresh pty; return seconds until marker is painted
    (and the resident set size a second later when rss is set)."""
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("TMUX", None); env.pop("STY", None); env.pop("NO_COLOR", None); env.pop("COLORFGBG", None)
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.execve(argv[0], argv, env)
    seen, elapsed = b"", None
    deadline = start + 10
    while time.perf_counter() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        seen += chunk
        # Answer like a terminal: background colour (dark) and cursor position.
        if b"\x1b]11;?" in chunk:
            os.write(fd, b"\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\")
        if b"\x1b[6n" in chunk:
            os.write(fd, b"\x1b[1;1R")
        if marker in seen:
            elapsed = time.perf_counter() - start
            break
    kb = None
    if rss and elapsed is not None:
        end = time.perf_counter() + 1.0
        while time.perf_counter() < end:  # keep draining so the program never blocks on output
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try: os.read(fd, 65536)
                except OSError: break
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        sys.exit(f"bench/tui.sh: {argv[0]} painted no {marker!r} within 10 s")
    return elapsed, kb

# One warm-up each so both binaries are in the page cache.
launch([ref], b"tuiref"); launch([explorer], b"Provider")
t_ref, t_exp = [], []
for i in range(n):
    pair = [("ref", [ref], b"tuiref"), ("exp", [explorer, "--theme", "auto"], b"Provider")]
    if i % 2:
        pair.reverse()
    for name, argv, marker in pair:
        t, _ = launch(argv, marker)
        (t_ref if name == "ref" else t_exp).append(t)
_, kb = launch([explorer], b"Provider", rss=True)

mr, me = statistics.median(t_ref), statistics.median(t_exp)
print(f"first frame, median of {n}: tuiref {mr*1000:.1f} ms, explorer {me*1000:.1f} ms, ratio {me/mr:.2f} (target <= 1.3)")
print(f"  tuiref   min {min(t_ref)*1000:.1f} max {max(t_ref)*1000:.1f} ms")
print(f"  explorer min {min(t_exp)*1000:.1f} max {max(t_exp)*1000:.1f} ms")
print(f"idle RSS of the explorer 1 s after its first frame: {kb/1024:.1f} MiB (target <= 25)")
PY

[ -n "${SKIP_GO_BENCH:-}" ] || go test -run '^$' -bench BenchmarkView -benchmem ./ui/
