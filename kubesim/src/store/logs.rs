//! Container logs: the simulated world appends lines, `pods/log` reads and follows them.

use std::collections::HashMap;
use std::time::SystemTime;

use super::Store;

/// Most lines kept per container; older lines are dropped first.
const MAX_LINES: usize = 100_000;

/// One log line with the time it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// When the line was appended.
    pub time: SystemTime,
    /// The line, without a trailing newline.
    pub text: String,
}

#[derive(Debug, Default)]
struct LogBuf {
    lines: Vec<LogLine>,
    dropped: usize,
    closed: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Logs {
    bufs: HashMap<(String, String, String), LogBuf>,
}

impl Logs {
    pub(crate) fn remove_pod(&mut self, namespace: &str, pod: &str) {
        self.bufs
            .retain(|(ns, p, _), _| !(ns == namespace && p == pod));
    }

    pub(crate) fn remove_namespace(&mut self, namespace: &str) {
        self.bufs.retain(|(ns, _, _), _| ns != namespace);
    }
}

/// A read of a container's log from a position.
#[derive(Debug, Clone, Default)]
pub struct LogRead {
    /// Lines from the requested position on.
    pub lines: Vec<LogLine>,
    /// Position after the last returned line (pass it to the next read).
    pub next: usize,
    /// True when the container's log has ended (no more lines will come).
    pub closed: bool,
}

impl Store {
    /// Appends a line to a container's log (the hook for the simulated world). Lines may be
    /// appended before the pod exists; they are dropped when the pod is deleted.
    pub fn append_log(&self, namespace: &str, pod: &str, container: &str, line: &str) {
        {
            let mut st = self.lock();
            let buf = st
                .logs
                .bufs
                .entry((namespace.into(), pod.into(), container.into()))
                .or_default();
            for l in line.split('\n') {
                buf.lines.push(LogLine {
                    time: SystemTime::now(),
                    text: l.to_string(),
                });
            }
            if buf.lines.len() > MAX_LINES {
                let extra = buf.lines.len() - MAX_LINES;
                buf.lines.drain(..extra);
                buf.dropped += extra;
            }
            buf.closed = false;
            st.logs_changed.send_modify(|n| *n += 1);
        }
    }

    /// Marks a container's log as ended: followers stop after the last line.
    pub fn close_log(&self, namespace: &str, pod: &str, container: &str) {
        let mut st = self.lock();
        st.logs
            .bufs
            .entry((namespace.into(), pod.into(), container.into()))
            .or_default()
            .closed = true;
        st.logs_changed.send_modify(|n| *n += 1);
    }

    /// Reads a container's log from position `from` (0 = the start).
    pub fn read_log(&self, namespace: &str, pod: &str, container: &str, from: usize) -> LogRead {
        let st = self.lock();
        let Some(buf) = st
            .logs
            .bufs
            .get(&(namespace.into(), pod.into(), container.into()))
        else {
            return LogRead {
                lines: Vec::new(),
                next: from,
                closed: false,
            };
        };
        let start = from.saturating_sub(buf.dropped).min(buf.lines.len());
        LogRead {
            lines: buf.lines[start..].to_vec(),
            next: buf.dropped + buf.lines.len(),
            closed: buf.closed,
        }
    }

    /// A receiver that changes whenever any log changes (for following).
    pub fn log_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.lock().logs_changed.subscribe()
    }
}
