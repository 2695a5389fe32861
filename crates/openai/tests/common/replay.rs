//! A loopback HTTP/1.1 server that replays scripted responses byte for byte (chunked, with a
//! pause between chunks so they arrive apart), and records every request it receives.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Lower-case names.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Recorded {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("request body is JSON")
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub chunks: Vec<Vec<u8>>,
    /// Close the connection after the chunks without the final zero-length chunk.
    pub cut: bool,
    /// Wait this long before sending anything of the body (idle-timeout tests).
    pub stall: Duration,
}

impl Reply {
    pub fn sse(chunks: Vec<String>) -> Self {
        let chunks = chunks.into_iter().map(String::into_bytes).collect();
        Self { status: 200, content_type: "text/event-stream", chunks, cut: false, stall: Duration::ZERO }
    }

    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            content_type: "application/json",
            chunks: vec![body.as_bytes().to_vec()],
            cut: false,
            stall: Duration::ZERO,
        }
    }
}

pub struct Replay {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Replay {
    /// Serves `chat` at POST /v1/chat/completions and a one-model list at GET /v1/models.
    pub async fn start(chat: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let rec = requests.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (chat, rec) = (chat.clone(), rec.clone());
                tokio::spawn(async move {
                    let _ = serve(sock, chat, rec).await;
                });
            }
        });
        Self { addr, requests }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn chat_requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().iter().filter(|r| r.path.ends_with("/chat/completions")).cloned().collect()
    }
}

async fn serve(mut sock: TcpStream, chat: Reply, rec: Arc<Mutex<Vec<Recorded>>>) -> std::io::Result<()> {
    let req = read_request(&mut sock).await?;
    let reply = if req.method == "GET" && req.path == "/v1/models" {
        Reply::json(
            200,
            r#"{"object":"list","data":[{"id":"baichuan-m2-32b","object":"model","created":1754000000,"owned_by":"vllm","max_model_len":32768}]}"#,
        )
    } else {
        chat
    };
    rec.lock().unwrap().push(req);
    let head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: {}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        reply.status, reply.content_type
    );
    sock.write_all(head.as_bytes()).await?;
    sock.flush().await?;
    tokio::time::sleep(reply.stall).await;
    for c in &reply.chunks {
        sock.write_all(format!("{:x}\r\n", c.len()).as_bytes()).await?;
        sock.write_all(c).await?;
        sock.write_all(b"\r\n").await?;
        sock.flush().await?;
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    if !reply.cut {
        sock.write_all(b"0\r\n\r\n").await?;
    }
    sock.shutdown().await
}

async fn read_request(sock: &mut TcpStream) -> std::io::Result<Recorded> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (method, path) = (first.next().unwrap_or_default().to_string(), first.next().unwrap_or_default().to_string());
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
    Ok(Recorded { method, path, headers, body })
}
