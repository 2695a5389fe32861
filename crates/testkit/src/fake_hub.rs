//! A real HTTP/1.1 server on loopback that speaks the Hugging Face and ModelScope APIs the hub
//! crate uses, with faults injected on demand: dropped connections (RST) at chosen offsets,
//! 5xx answers, stalls, truncated bodies (clean close), flipped bytes, a throttle, and listings
//! that can say anything (wrong hashes, hostile paths). It counts the body bytes it serves per
//! file, so tests can prove how much a resume re-fetched. Hand-rolled over TCP so that every
//! fault is exact.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone)]
enum Body {
    Memory(Arc<Vec<u8>>),
    Disk(PathBuf),
}

#[derive(Clone)]
struct HubFile {
    path: String,
    size: u64,
    body: Body,
    sha256: String,
    git_sha1: String,
    lfs: bool,
}

/// Faults, each used once by the next file response (FIFO), except `flip` and `rate`.
#[derive(Default)]
pub struct Faults {
    /// Reset the connection after this many body bytes.
    pub drop_after: VecDeque<u64>,
    /// Close cleanly after this many body bytes (a truncated body).
    pub truncate_after: VecDeque<u64>,
    /// Answer with this status instead.
    pub status: VecDeque<u16>,
    /// Send this many bytes, then go silent for the duration.
    pub stall: VecDeque<(u64, Duration)>,
    /// Serve the byte at this file offset inverted, for the next `n` responses that cover it.
    pub flip: Option<(u64, u32)>,
    /// Bytes per second per response.
    pub rate: Option<u64>,
    /// Answer listing requests with this status, this many times.
    pub listing_status: VecDeque<u16>,
}

#[derive(Default)]
struct State {
    repos: HashMap<String, Vec<HubFile>>,
    listing_override: HashMap<String, Value>,
    page_size: usize,
    faults: Faults,
    served: HashMap<String, u64>,
    log: Vec<String>,
}

pub struct FakeHub {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl FakeHub {
    /// Starts on an ephemeral loopback port, on a thread of its own, so that it works from sync
    /// and async tests alike and stops when dropped.
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State { page_size: 50, ..Default::default() }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        std::thread::spawn(move || {
            let rt =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                let accept = async {
                    while let Ok((sock, _)) = listener.accept().await {
                        let st = st.clone();
                        tokio::spawn(async move {
                            let _ = serve(sock, st).await;
                        });
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
            rt.shutdown_background();
        });
        Self { addr, state, _stop: stop }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a file; `lfs` files are listed by sha256 and redirected to a CDN path, others by git sha1.
    pub fn add_file(&self, repo: &str, path: &str, data: Vec<u8>, lfs: bool) {
        let sha256 = hex::encode(Sha256::digest(&data));
        let git_sha1 = git_sha1(&data);
        let f = HubFile {
            path: path.into(),
            size: data.len() as u64,
            body: Body::Memory(Arc::new(data)),
            sha256,
            git_sha1,
            lfs,
        };
        self.lock().repos.entry(repo.into()).or_default().push(f);
    }

    /// Serves a big file from disk (benchmarks); its sha256 is given, not computed here.
    pub fn add_disk_file(&self, repo: &str, path: &str, disk: PathBuf, sha256: &str) {
        let size = std::fs::metadata(&disk).expect("disk file").len();
        let f = HubFile {
            path: path.into(),
            size,
            body: Body::Disk(disk),
            sha256: sha256.into(),
            git_sha1: String::new(),
            lfs: true,
        };
        self.lock().repos.entry(repo.into()).or_default().push(f);
    }

    /// The listing as the hub would send it (one array, before pagination), to edit in tests.
    pub fn listing(&self, repo: &str) -> Value {
        let st = self.lock();
        Value::Array(st.repos.get(repo).map(|files| files.iter().map(hf_entry).collect()).unwrap_or_default())
    }

    /// Serves this listing (Hugging Face shape, paginated as usual) instead of the real one.
    pub fn set_listing(&self, repo: &str, listing: Value) {
        self.lock().listing_override.insert(repo.into(), listing);
    }

    pub fn set_page_size(&self, n: usize) {
        self.lock().page_size = n.max(1);
    }

    pub fn faults(&self) -> FaultsGuard<'_> {
        FaultsGuard(self.lock())
    }

    /// Body bytes served for this file path so far.
    pub fn served(&self, path: &str) -> u64 {
        self.lock().served.get(path).copied().unwrap_or(0)
    }

    /// "METHOD target auth=yes|no" per request.
    pub fn log(&self) -> Vec<String> {
        self.lock().log.clone()
    }
}

pub struct FaultsGuard<'a>(MutexGuard<'a, State>);

impl std::ops::Deref for FaultsGuard<'_> {
    type Target = Faults;
    fn deref(&self) -> &Faults {
        &self.0.faults
    }
}

impl std::ops::DerefMut for FaultsGuard<'_> {
    fn deref_mut(&mut self) -> &mut Faults {
        &mut self.0.faults
    }
}

pub fn git_sha1(data: &[u8]) -> String {
    use sha1::Digest as _;
    let mut h = sha1::Sha1::new();
    h.update(format!("blob {}\0", data.len()).as_bytes());
    h.update(data);
    hex::encode(h.finalize())
}

/// Deterministic pseudo-random bytes (xorshift), different at every offset, for test files.
pub fn pseudo_random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// sha256 of a file on disk, streamed.
pub fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(hex::encode(h.finalize()));
        }
        h.update(&buf[..n]);
    }
}

fn hf_entry(f: &HubFile) -> Value {
    let mut e = json!({"type": "file", "oid": f.git_sha1, "size": f.size, "path": f.path});
    if f.lfs {
        e["lfs"] = json!({"oid": f.sha256, "size": f.size, "pointerSize": 134});
    }
    e
}

struct Request {
    path: String,
    query: String,
    range: Option<(u64, Option<u64>)>,
}

async fn read_request(sock: &mut TcpStream) -> Option<(Request, bool)> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut byte).await.ok()?;
        if n == 0 || buf.len() > 16 << 10 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = text.split("\r\n");
    let target = lines.next()?.split(' ').nth(1)?.to_string();
    let (path, query) =
        target.split_once('?').map(|(p, q)| (p.to_string(), q.to_string())).unwrap_or((target, String::new()));
    let mut range = None;
    let mut auth = false;
    for line in lines {
        let Some((k, v)) = line.split_once(':') else { continue };
        match k.trim().to_ascii_lowercase().as_str() {
            "range" => {
                let spec = v.trim().strip_prefix("bytes=")?;
                let (a, b) = spec.split_once('-')?;
                range = Some((a.parse().ok()?, b.parse().ok()));
            }
            "authorization" => auth = true,
            _ => {}
        }
    }
    Some((Request { path: percent_decode(&path), query, range }, auth))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn respond(sock: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body).await?;
    sock.shutdown().await
}

async fn serve(mut sock: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let Some((req, auth)) = read_request(&mut sock).await else { return Ok(()) };
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    lock().log.push(format!("GET {}?{} auth={}", req.path, req.query, if auth { "yes" } else { "no" }));
    let parts: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["api", "models", o, n, "tree", _rev] => {
            let repo = format!("{o}/{n}");
            let fault = lock().faults.listing_status.pop_front();
            if let Some(status) = fault {
                return respond(&mut sock, status, &[], b"listing fault").await;
            }
            let (all, page_size) = {
                let st = lock();
                let all = match st.listing_override.get(&repo) {
                    Some(v) => Some(v.as_array().cloned().unwrap_or_default()),
                    None => st.repos.get(&repo).map(|files| files.iter().map(hf_entry).collect::<Vec<_>>()),
                };
                (all, st.page_size)
            };
            let Some(all) = all else { return respond(&mut sock, 404, &[], b"Repository not found").await };
            let cursor: usize =
                req.query.split('&').find_map(|kv| kv.strip_prefix("cursor=")?.parse().ok()).unwrap_or(0);
            let page: Vec<Value> = all.iter().skip(cursor).take(page_size).cloned().collect();
            let mut headers = vec![("Content-Type", "application/json".to_string())];
            if cursor + page_size < all.len() {
                headers.push((
                    "Link",
                    format!("<{}?recursive=true&cursor={}>; rel=\"next\"", req.path, cursor + page_size),
                ));
            }
            respond(&mut sock, 200, &headers, serde_json::to_string(&page).unwrap_or_default().as_bytes()).await
        }
        ["api", "v1", "models", o, n, "repo", "files"] => {
            let repo = format!("{o}/{n}");
            let files = lock().repos.get(&repo).cloned();
            let Some(files) = files else { return respond(&mut sock, 404, &[], b"{}").await };
            let list: Vec<Value> = files
                .iter()
                .map(|f| json!({"Name": f.path.rsplit('/').next(), "Path": f.path, "Type": "blob", "Size": f.size, "Sha256": f.sha256}))
                .collect();
            let body = json!({"Code": 200, "Data": {"Files": list}, "Success": true});
            respond(&mut sock, 200, &[("Content-Type", "application/json".into())], body.to_string().as_bytes()).await
        }
        [o, n, "resolve", _rev, rest @ ..] => {
            let (repo, path) = (format!("{o}/{n}"), rest.join("/"));
            let file = { find(&lock(), &repo, &path) };
            match file {
                Some(f) if f.lfs => respond(&mut sock, 302, &[("Location", format!("/cdn/{repo}/{path}"))], b"").await,
                Some(f) => serve_file(sock, &state, f, req.range).await,
                None => respond(&mut sock, 404, &[], b"Entry not found").await,
            }
        }
        ["cdn", o, n, rest @ ..] | ["models", o, n, "resolve", _, rest @ ..] => {
            let file = { find(&lock(), &format!("{o}/{n}"), &rest.join("/")) };
            match file {
                Some(f) => serve_file(sock, &state, f, req.range).await,
                None => respond(&mut sock, 404, &[], b"Entry not found").await,
            }
        }
        _ => respond(&mut sock, 404, &[], b"no route").await,
    }
}

fn find(st: &State, repo: &str, path: &str) -> Option<HubFile> {
    st.repos.get(repo)?.iter().find(|f| f.path == path).cloned()
}

async fn serve_file(
    mut sock: TcpStream,
    state: &Arc<Mutex<State>>,
    f: HubFile,
    range: Option<(u64, Option<u64>)>,
) -> std::io::Result<()> {
    let (status, drop_after, truncate_after, stall, flip, rate) = {
        let mut st = state.lock().unwrap_or_else(PoisonError::into_inner);
        let fl = &mut st.faults;
        // One fault per response, in this order, so none is wasted on a response that carries another.
        let status = fl.status.pop_front();
        let drop_after = if status.is_none() { fl.drop_after.pop_front() } else { None };
        let truncate_after =
            if status.or(drop_after.map(|_| 0)).is_none() { fl.truncate_after.pop_front() } else { None };
        let stall = if status.is_none() && drop_after.is_none() && truncate_after.is_none() {
            fl.stall.pop_front()
        } else {
            None
        };
        (status, drop_after, truncate_after, stall, fl.flip, fl.rate)
    };
    if let Some(s) = status {
        return respond(&mut sock, s, &[], b"injected failure").await;
    }
    let (start, end) = match range {
        Some((a, b)) => (a, b.map(|b| b + 1).unwrap_or(f.size).min(f.size)),
        None => (0, f.size),
    };
    if start >= end && f.size > 0 {
        return respond(&mut sock, 416, &[("Content-Range", format!("bytes */{}", f.size))], b"").await;
    }
    let head = if range.is_some() {
        format!("HTTP/1.1 206 Partial Content\r\nConnection: close\r\nContent-Length: {}\r\nContent-Range: bytes {start}-{}/{}\r\n\r\n", end - start, end.max(1) - 1, f.size)
    } else {
        format!("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", f.size)
    };
    sock.write_all(head.as_bytes()).await?;
    let mut flipped = false;
    if let Some((at, n)) = flip {
        if n > 0 && (start..end).contains(&at) {
            flipped = true;
            let mut st = state.lock().unwrap_or_else(PoisonError::into_inner);
            st.faults.flip = Some((at, n - 1));
        }
    }
    let disk = match &f.body {
        Body::Disk(p) => Some(std::fs::File::open(p)?),
        Body::Memory(_) => None,
    };
    let chunk = if rate.is_some() { 16 << 10 } else { 1 << 20 };
    let mut buf = vec![0u8; chunk];
    let mut pos = start;
    let mut sent = 0u64;
    while pos < end {
        let n = ((end - pos) as usize).min(chunk);
        let mut n = n;
        for (limit, _) in [(drop_after, 0), (truncate_after, 1)] {
            if let Some(l) = limit {
                n = n.min(l.saturating_sub(sent) as usize);
            }
        }
        if let Some((l, _)) = stall {
            if sent < l {
                n = n.min((l - sent) as usize);
            }
        }
        if n > 0 {
            match (&f.body, &disk) {
                (Body::Memory(d), _) => buf[..n].copy_from_slice(&d[pos as usize..pos as usize + n]),
                (Body::Disk(_), Some(file)) => std::os::unix::fs::FileExt::read_exact_at(file, &mut buf[..n], pos)?,
                _ => unreachable!(),
            }
            if flipped && (pos..pos + n as u64).contains(&flip.map(|f| f.0).unwrap_or(u64::MAX)) {
                let i = (flip.unwrap().0 - pos) as usize;
                buf[i] = !buf[i];
            }
            sock.write_all(&buf[..n]).await?;
            pos += n as u64;
            sent += n as u64;
            *state.lock().unwrap_or_else(PoisonError::into_inner).served.entry(f.path.clone()).or_default() += n as u64;
            if let Some(r) = rate {
                tokio::time::sleep(Duration::from_secs_f64(n as f64 / r as f64)).await;
            }
        }
        if drop_after.is_some_and(|l| sent >= l) {
            sock.set_zero_linger()?;
            return Ok(()); // dropped with linger 0: the peer sees a reset
        }
        if truncate_after.is_some_and(|l| sent >= l) {
            return sock.shutdown().await;
        }
        if let Some((l, d)) = stall {
            if sent >= l {
                tokio::time::sleep(d).await;
                return Ok(());
            }
        }
    }
    sock.shutdown().await
}
