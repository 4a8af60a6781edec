//! The emulator's settings and the command line that sets them.
//!
//! `tagdeck-emulator --listen 127.0.0.1:PORT [--access-key-id ID
//! --access-key-secret SECRET] [--auth-token TOKEN] [--seed demo|empty]`
//! as in the product brief, plus the options for state, static files,
//! faults and load tests listed in [`USAGE`].

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tagdeck::Credentials;

use crate::clock::{Clock, SystemClock};
use crate::faults::Faults;
use crate::seed::Seed;

/// The demo AccessKey id the emulator accepts by default (printed at start).
pub const DEMO_ACCESS_KEY_ID: &str = "LTAI5tTagdeckDemoKey0001";
/// Its secret. A demo value, not a secret: it is printed at start.
pub const DEMO_ACCESS_KEY_SECRET: &str = "tagdeckDemoSecret0000000000001";
/// The demo `X-Auth-Token` of the Scaleway and SWR APIs (a UUID, as
/// Scaleway secret keys are).
pub const DEMO_AUTH_TOKEN: &str = "5c0e9a1e-7a6b-4d2c-9f3e-2b8d7c6a5e41";

/// A value that must not appear in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(zeroize::Zeroizing<String>);

impl Secret {
    /// Wraps `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Secret(zeroize::Zeroizing::new(text.into()))
    }
    /// The value, for the one place that compares or prints it on purpose.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Everything the emulator is started with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The AccessKey (and STS token) the RPC API accepts.
    pub credentials: Credentials,
    /// The `X-Auth-Token` the Scaleway and SWR APIs accept.
    pub auth_token: Secret,
    /// What to start from when there is no state file.
    pub seed: Seed,
    /// Where the state is kept, if anywhere.
    pub state_file: Option<PathBuf>,
    /// The dashboard's files, served at `/`.
    pub www: PathBuf,
    /// The npm package (`pkg/`), served at `/pkg/`.
    pub pkg: PathBuf,
    /// Injected faults.
    pub faults: Faults,
    /// Whether reused nonces are refused (off only for load tests that
    /// replay one signed URL).
    pub check_nonces: bool,
    /// How long simulated work (builds, syncs, scans, VPC links) takes.
    pub task_ms: i64,
    /// The clock (tests substitute a manual one).
    pub clock: Arc<dyn Clock>,
}

impl Default for Config {
    fn default() -> Self {
        let repo = repository_root();
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            credentials: Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
            auth_token: Secret::new(DEMO_AUTH_TOKEN),
            seed: Seed::Demo,
            state_file: None,
            www: repo.join("www"),
            pkg: repo.join("pkg"),
            faults: Faults::default(),
            check_nonces: true,
            task_ms: 3_000,
            clock: Arc::new(SystemClock),
        }
    }
}

/// The checkout this binary was built from (the parent of `emulator/`), or
/// the working directory when that is gone.
fn repository_root() -> PathBuf {
    let built = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    if built.join("Cargo.toml").exists() {
        built.canonicalize().unwrap_or(built)
    } else {
        PathBuf::from(".")
    }
}

/// `--help`.
pub const USAGE: &str = "\
tagdeck-emulator: a local Alibaba Cloud cr (2018-12-01), Scaleway and SWR registry

USAGE:
    tagdeck-emulator [OPTIONS]

OPTIONS:
    --listen ADDR               address to listen on [default: 127.0.0.1:8080]; port 0 picks a free port
    --access-key-id ID          the AccessKey id the cr API accepts [default: a demo key, printed]
    --access-key-secret SECRET  its secret [default: the demo secret, printed]
    --security-token TOKEN      make the AccessKey an STS one: requests must carry this SecurityToken
    --auth-token TOKEN          the X-Auth-Token of the Scaleway and SWR APIs [default: a demo UUID]
    --seed demo|empty           the data to start from when there is no state file [default: demo]
    --state FILE                keep the state in FILE (written atomically after every change)
    --www DIR                   the dashboard, served at / [default: <repo>/www]
    --pkg DIR                   the npm package, served at /pkg/ [default: <repo>/pkg]
    --throttle-rate RATE        answer this share (0 to 1) of API requests as throttled
    --fail-rate RATE            answer this share (0 to 1) of API requests with 503
    --latency-ms MS             delay every API answer by MS milliseconds
    --task-ms MS                how long builds, syncs, scans and VPC links take [default: 3000]
    --no-nonce-check            accept reused SignatureNonce values (load tests that replay one URL only)
    -h, --help                  print this help
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Run with this configuration.
    Run(Box<Config>),
    /// Print [`USAGE`].
    Help,
}

/// Parses the arguments (without the program name). Errors name the option.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = Config::default();
    let (mut key_id, mut secret, mut token) = (None, None, None);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value ({what})"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--listen" => {
                let v = value("an address such as 127.0.0.1:8080")?;
                config.listen = v.parse().map_err(|_| {
                    format!("--listen: {v:?} is not an address such as 127.0.0.1:8080")
                })?;
            }
            "--access-key-id" => key_id = Some(non_empty(&name, value("an id")?)?),
            "--access-key-secret" => secret = Some(non_empty(&name, value("a secret")?)?),
            "--security-token" => token = Some(non_empty(&name, value("a token")?)?),
            "--auth-token" => config.auth_token = Secret::new(non_empty(&name, value("a token")?)?),
            "--seed" => {
                let v = value("demo or empty")?;
                config.seed =
                    Seed::parse(&v).ok_or_else(|| format!("--seed: {v:?} is not demo or empty"))?;
            }
            "--state" => {
                config.state_file = Some(PathBuf::from(non_empty(&name, value("a file")?)?))
            }
            "--www" => config.www = PathBuf::from(value("a directory")?),
            "--pkg" => config.pkg = PathBuf::from(value("a directory")?),
            "--throttle-rate" => {
                config.faults.throttle_rate = rate(&name, &value("a number from 0 to 1")?)?
            }
            "--fail-rate" => {
                config.faults.fail_rate = rate(&name, &value("a number from 0 to 1")?)?
            }
            "--latency-ms" => {
                config.faults.latency =
                    Duration::from_millis(number(&name, &value("milliseconds")?)?)
            }
            "--task-ms" => config.task_ms = number(&name, &value("milliseconds")?)? as i64,
            "--no-nonce-check" => config.check_nonces = false,
            other => return Err(format!("unknown option {other:?}; see --help")),
        }
    }
    if key_id.is_some() != secret.is_some() {
        return Err("--access-key-id and --access-key-secret go together".into());
    }
    if let (Some(id), Some(secret)) = (key_id, secret) {
        config.credentials = Credentials::new(id, secret);
    }
    if let Some(token) = token {
        config.credentials = config.credentials.with_security_token(token);
    }
    Ok(Command::Run(Box::new(config)))
}

fn non_empty(name: &str, value: String) -> Result<String, String> {
    if value.is_empty() {
        Err(format!("{name} must not be empty"))
    } else {
        Ok(value)
    }
}

fn rate(name: &str, text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{name}: {text:?} is not a number from 0 to 1")),
    }
}

fn number(name: &str, text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{name}: {text:?} is not a whole number of milliseconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        match parse_args(args.iter().map(|s| s.to_string()))? {
            Command::Run(c) => Ok(*c),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn the_documented_command_line() {
        let c = run(&[
            "--listen",
            "127.0.0.1:0",
            "--access-key-id",
            "id",
            "--access-key-secret",
            "s",
            "--auth-token=tok",
            "--seed",
            "empty",
            "--throttle-rate",
            "0.5",
            "--latency-ms",
            "20",
        ])
        .unwrap();
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.credentials.access_key_id(), "id");
        assert_eq!(c.auth_token.expose(), "tok");
        assert_eq!(c.seed, Seed::Empty);
        assert_eq!(c.faults.throttle_rate, 0.5);
        assert_eq!(c.faults.latency, Duration::from_millis(20));
    }

    #[test]
    fn a_security_token_makes_the_key_an_sts_one() {
        let c = run(&[
            "--access-key-id",
            "STS.x",
            "--access-key-secret",
            "s",
            "--security-token",
            "tok",
        ])
        .unwrap();
        assert_eq!(c.credentials.security_token(), Some("tok"));
        assert_eq!(run(&[]).unwrap().credentials.security_token(), None);
    }

    #[test]
    fn errors_name_the_option() {
        for (args, needle) in [
            (&["--listen", "nowhere"][..], "--listen"),
            (&["--seed", "full"][..], "--seed"),
            (&["--fail-rate", "2"][..], "--fail-rate"),
            (&["--access-key-id", "x"][..], "--access-key-secret"),
            (&["--bogus"][..], "--bogus"),
            (&["--state"][..], "--state"),
        ] {
            let e = run(args).unwrap_err();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
    }

    #[test]
    fn debug_hides_the_secrets() {
        let c = run(&[
            "--access-key-id",
            "id",
            "--access-key-secret",
            "hunter2hunter2",
            "--auth-token",
            "tok-secret",
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2hunter2") && !shown.contains("tok-secret"),
            "{shown}"
        );
    }
}
