//! The HTTP server: start-up (state file or seed), the accept loop, and
//! routing of each request to the API or file that answers it.
//!
//! Routes: `OPTIONS *` is a CORS preflight; `/registry/v1/…` is Scaleway;
//! `/v2/manage/…` is SWR; `/` with a query string, or a POST to `/`, is the
//! cr RPC API; any other GET is a file of the dashboard or the package.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use tagdeck::catalog::Method;

use crate::app::App;
use crate::config::Config;
use crate::reply::{Reply, RestRequest};
use crate::rpc::{self, RpcRequest};
use crate::state::State;
use crate::{persist, scaleway, statics, swr};

/// Bodies larger than this are refused (the largest real request is a few
/// kilobytes).
const MAX_BODY: usize = 1 << 20;

/// Where the starting state came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Read from the state file.
    Loaded,
    /// Made from `--seed` (and written to the state file, if any).
    Seeded,
}

/// The state to start with: the state file when it exists, else the seed.
pub fn initial_state(config: &Config) -> io::Result<(State, Origin)> {
    if let Some(path) = &config.state_file {
        if let Some(state) = persist::load(path)? {
            return Ok((state, Origin::Loaded));
        }
        let state = config.seed.state();
        let bytes = serde_json::to_vec(&state).map_err(io::Error::other)?;
        persist::write_atomically(path, &bytes).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot write the state file {}: {e}", path.display()),
            )
        })?;
        return Ok((state, Origin::Seeded));
    }
    Ok((config.seed.state(), Origin::Seeded))
}

/// Serves `listener` until `shutdown` completes, then waits for the last
/// change to reach the state file.
pub async fn serve(app: Arc<App>, listener: TcpListener, shutdown: impl Future<Output = ()>) {
    if app.persister.is_some() {
        let writer = app.clone();
        tokio::spawn(async move {
            let persister = writer.persister.as_ref().expect("checked above");
            persister.run(|| writer.snapshot()).await;
        });
    }
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let app = app.clone();
                        async move { Ok::<_, std::convert::Infallible>(route(&app, request).await) }
                    });
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
    if let Some(persister) = &app.persister {
        let _ = persister.wait(persister.changed()).await;
    }
}

/// Answers one request.
pub async fn route(app: &App, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let origin = header("origin").map(str::to_string);
    // A preflight carries its CORS headers already: adding them again
    // would send `access-control-allow-origin` twice, which browsers refuse
    // (V3's signed headers make every cross-origin call preflighted).
    let reply = if parts.method == hyper::Method::OPTIONS {
        statics::preflight(origin.as_deref())
    } else {
        let reply = match Limited::new(body, MAX_BODY).collect().await {
            Ok(collected) => {
                let body = collected.to_bytes();
                dispatch(app, &parts, &body).await
            }
            Err(_) => Reply::new(
                413,
                "text/plain;charset=utf-8",
                "the request body is larger than 1 MiB\n",
            ),
        };
        statics::with_cors(reply, origin.as_deref())
    };
    into_response(reply, parts.method == hyper::Method::HEAD)
}

async fn dispatch(app: &App, parts: &hyper::http::request::Parts, body: &[u8]) -> Reply {
    let path = parts.uri.path();
    let query = parts.uri.query();
    let method = parts.method.as_str();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let rest = || RestRequest {
        method,
        path,
        query,
        auth_token: header("x-auth-token"),
        body,
    };
    if path.starts_with("/registry/v1/") {
        return scaleway::handle(app, rest()).await;
    }
    if path.starts_with("/v2/manage/") {
        return swr::handle(app, rest()).await;
    }
    // A V3 GET of an operation without parameters has no query string:
    // its `x-acs-action` header makes it an RPC call all the same.
    let rpc_method = match method {
        "POST" if path == "/" => Some(Method::Post),
        "GET"
            if path == "/"
                && (query.is_some_and(|q| !q.is_empty()) || header("x-acs-action").is_some()) =>
        {
            Some(Method::Get)
        }
        _ => None,
    };
    if let Some(rpc_method) = rpc_method {
        let host = header("host").unwrap_or("tagdeck-emulator");
        // Headers whose value is not visible ASCII are left out: no
        // signer's header is such, and the signature then fails, naming it.
        let headers: Vec<(&str, &str)> = parts
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        return rpc::handle(
            app,
            RpcRequest {
                method: rpc_method,
                query,
                body,
                host,
                headers: &headers,
            },
        )
        .await;
    }
    match method {
        "GET" | "HEAD" => statics::serve(&app.config, path),
        _ => Reply::new(
            405,
            "text/plain;charset=utf-8",
            format!("405 Method Not Allowed: {method} {path}\n"),
        )
        .with("allow", "GET, HEAD, POST, OPTIONS"),
    }
}

fn into_response(reply: Reply, head: bool) -> Response<Full<Bytes>> {
    let body = if head { Bytes::new() } else { reply.body };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    response
}

/// An emulator running on a thread of its own (for tests and embedding).
/// Dropping it stops the server.
#[derive(Debug)]
pub struct Running {
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// Its shared state, for tests that look inside.
    pub app: Arc<App>,
    /// Where the starting state came from.
    pub origin: Origin,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits for the state file to be written.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts an emulator on a thread with its own runtime; returns once it
/// accepts connections.
pub fn spawn(config: Config) -> io::Result<Running> {
    let (state, origin) = initial_state(&config)?;
    let listener = std::net::TcpListener::bind(config.listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let app = Arc::new(App::new(config, state));
    let (stop, stopped) = oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let server_app = app.clone();
    let thread = std::thread::Builder::new()
        .name("tagdeck-emulator".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("a bound listener");
                serve(server_app, listener, async {
                    let _ = stopped.await;
                })
                .await;
            });
        })?;
    Ok(Running {
        addr,
        app,
        origin,
        stop: Some(stop),
        thread: Some(thread),
    })
}
