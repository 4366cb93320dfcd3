//! How domain code reports progress without printing: it calls a [`Progress`], and the output layer
//! decides how that looks (a spinner or bar on a terminal, plain lines otherwise, JSON events in CI).

/// One thing worth telling the user while work goes on.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A new phase starts ("applying the IstioOperator").
    Step(&'a str),
    /// Detail about the current phase ("2/3 pods ready", an operator log line). Transient on a
    /// terminal; shown as a line elsewhere only with `-v`.
    Detail(&'a str),
    /// The current phase finished successfully.
    Done(&'a str),
    /// Something the user should know that does not stop the work.
    Warn(&'a str),
    /// Byte progress of a transfer.
    Bytes { done: u64, total: Option<u64> },
}

/// Receives progress events. Implementations must be cheap: domain code may call this often.
pub trait Progress: Send + Sync {
    fn event(&self, event: Event<'_>);

    fn step(&self, message: &str) {
        self.event(Event::Step(message));
    }
    fn detail(&self, message: &str) {
        self.event(Event::Detail(message));
    }
    fn done(&self, message: &str) {
        self.event(Event::Done(message));
    }
    fn warn(&self, message: &str) {
        self.event(Event::Warn(message));
    }
    fn bytes(&self, done: u64, total: Option<u64>) {
        self.event(Event::Bytes { done, total });
    }
}

/// Discards every event (library use, tests).
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn event(&self, _: Event<'_>) {}
}

/// Records events as owned strings; handy in unit tests of domain code.
#[derive(Debug, Default)]
pub struct Recorder(pub std::sync::Mutex<Vec<String>>);

impl Progress for Recorder {
    fn event(&self, event: Event<'_>) {
        let line = match event {
            Event::Step(m) => format!("step: {m}"),
            Event::Detail(m) => format!("detail: {m}"),
            Event::Done(m) => format!("done: {m}"),
            Event::Warn(m) => format!("warn: {m}"),
            Event::Bytes { done, total } => format!("bytes: {done}/{total:?}"),
        };
        self.0.lock().expect("recorder lock").push(line);
    }
}

impl Recorder {
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().expect("recorder lock").clone()
    }
}
