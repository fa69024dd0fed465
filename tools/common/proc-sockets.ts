import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

// Which of `pids` hold a socket listening on TCP `port` (Linux /proc): how WORKERS share a port
// shows here — with SO_REUSEPORT every worker holds its own, with the cluster's round robin only
// the primary does.
export function listeningPids(port: number, pids: number[]): number[] {
  const inodes = listeningInodes(port);
  return pids.filter((pid) => holdsAny(pid, inodes));
}

// Inodes of the sockets listening on `port` (/proc/net/tcp{,6}: state 0A is LISTEN).
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  // tcp6 is absent on a kernel without IPv6.
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6'].filter((f) => existsSync(f))) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1].split(':')[1], 16) === port) inodes.add(f[9]);
    }
  }
  return inodes;
}

function holdsAny(pid: number, inodes: Set<string>): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
      return m !== null && inodes.has(m[1]);
    });
  } catch {
    return false; // exited meanwhile
  }
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
