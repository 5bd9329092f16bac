//! The benchmark's helpers: the counting SMTP server (aiosmtpd), settings from the
//! environment, a process's resident memory.

/// The SMTP server: counts the mails to synthetic citizens and prints the count with the time
/// for the first, every 10,000th and the last expected one.
pub const SINK: &str = r#"
import asyncio, sys, time
from aiosmtpd.smtp import SMTP

class Sink:
    def __init__(self, expected):
        self.n = 0
        self.expected = expected

    async def handle_DATA(self, server, session, envelope):
        # Only the synthetic citizens count (the demo city's own mail does not).
        if not any(r.endswith("@load.invalid") for r in envelope.rcpt_tos):
            return "250 OK"
        self.n += 1
        if self.n == 1 or self.n == self.expected or self.n % 10000 == 0:
            print(f"{self.n} {time.time():.6f}", flush=True)
        return "250 OK"

async def main():
    sink = Sink(int(sys.argv[2]))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink), "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
"#;

/// The number in environment variable `name`, or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The resident memory of process `pid` in KiB (0 if unknown).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
