//! A tiny HTTP/1.1 server on loopback for tests and benchmarks: canned routes, `Range` support,
//! and faults (failing first requests, cutting or stalling a body). One request per connection.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How a route misbehaves.
#[derive(Clone, Debug, Default)]
pub enum Fault {
    #[default]
    None,
    /// Announce the full length, send the body up to this offset of the whole file, then close.
    CutAfter(usize),
    /// Send the body up to this offset of the whole file, then stall until the server is dropped.
    StallAfter(usize),
    /// Answer 200 with the whole body even when a range is asked for.
    IgnoreRange,
}

#[derive(Clone, Debug)]
pub struct Route {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Arc<Vec<u8>>,
    pub fault: Fault,
    /// Answer 503 to this many requests first.
    pub fail_first: u32,
    /// Fault applies to this many requests (then the route behaves); `u32::MAX` for always.
    pub fault_times: u32,
}

impl Route {
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            headers: Vec::new(),
            body: Arc::new(body.into()),
            fault: Fault::None,
            fail_first: 0,
            fault_times: u32::MAX,
        }
    }

    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            ..Self::ok(body)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn fault(mut self, fault: Fault, times: u32) -> Self {
        self.fault = fault;
        self.fault_times = times;
        self
    }

    pub fn fail_first(mut self, n: u32) -> Self {
        self.fail_first = n;
        self
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    seen: Vec<Seen>,
    served: HashMap<String, u32>,
}

pub struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    /// Body bytes written so far (all routes).
    pub sent: Arc<AtomicU64>,
}

impl Server {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicU64::new(0));
        let (s, st, se) = (state.clone(), stop.clone(), sent.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (s, st, se) = (s.clone(), st.clone(), se.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, &s, &st, &se);
                });
            }
        });
        Self {
            addr,
            state,
            stop,
            sent,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves `route` at `target` (path plus query, exactly as requested).
    pub fn route(&self, target: &str, route: Route) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(target.to_string(), route);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Requests whose target starts with `prefix`.
    pub fn seen_for(&self, prefix: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.target.starts_with(prefix))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
    }
}

fn handle(
    stream: TcpStream,
    state: &Mutex<State>,
    stop: &AtomicBool,
    sent: &AtomicU64,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let seen = Seen {
        method: method.clone(),
        target: target.clone(),
        headers,
    };
    let range = seen
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|r| r.parse::<usize>().ok());
    let (route, count) = {
        let mut st = state.lock().unwrap();
        st.seen.push(seen);
        let route = st.routes.get(&target).cloned();
        let count = st.served.entry(target.clone()).or_insert(0);
        *count += 1;
        (route, *count)
    };
    let mut out = stream;
    let Some(route) = route else {
        return respond(
            &mut out,
            404,
            &[],
            b"Not Found",
            &method,
            0,
            None,
            sent,
            stop,
        );
    };
    if count <= route.fail_first {
        return respond(&mut out, 503, &[], b"busy", &method, 0, None, sent, stop);
    }
    let faulty = count - route.fail_first <= route.fault_times;
    let fault = if faulty {
        route.fault.clone()
    } else {
        Fault::None
    };
    let body = &route.body[..];
    let mut headers = route.headers.clone();
    let mut status = route.status;
    let mut slice = body;
    let mut offset = 0;
    if let (Some(from), true, false) = (range, status == 200, matches!(fault, Fault::IgnoreRange)) {
        if from >= body.len() {
            headers.push(("Content-Range".into(), format!("bytes */{}", body.len())));
            return respond(&mut out, 416, &headers, b"", &method, 0, None, sent, stop);
        }
        status = 206;
        headers.push((
            "Content-Range".into(),
            format!("bytes {from}-{}/{}", body.len() - 1, body.len()),
        ));
        slice = &body[from..];
        offset = from;
    }
    respond(
        &mut out,
        status,
        &headers,
        slice,
        &method,
        offset,
        Some(fault),
        sent,
        stop,
    )
}

#[allow(clippy::too_many_arguments)]
fn respond(
    out: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    method: &str,
    offset: usize,
    fault: Option<Fault>,
    sent: &AtomicU64,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if method == "HEAD" {
        return Ok(());
    }
    let limit = match fault {
        Some(Fault::CutAfter(n)) | Some(Fault::StallAfter(n)) => {
            n.saturating_sub(offset).min(body.len())
        }
        _ => body.len(),
    };
    for chunk in body[..limit].chunks(64 * 1024) {
        out.write_all(chunk)?;
        sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
    }
    out.flush()?;
    if let Some(Fault::StallAfter(_)) = fault {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = out.shutdown(std::net::Shutdown::Both);
    Ok(())
}
