//! `tagdeck-emulator`: see `--help`.
//!
//! The first line printed is `tagdeck-emulator listening on http://ADDR`
//! (the real port when `--listen` asked for port 0), followed by one
//! `name: value` line per credential, so scripts can read them.

use std::process::ExitCode;
use std::sync::Arc;

use tagdeck_emulator::config::{parse_args, Command, USAGE};
use tagdeck_emulator::server::{initial_state, serve, Origin};
use tagdeck_emulator::{app::App, seed};

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => *config,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("tagdeck-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tagdeck-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: tagdeck_emulator::Config) -> ExitCode {
    let (state, origin) = match initial_state(&config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tagdeck-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "tagdeck-emulator: cannot listen on {}: {e}; choose another address with --listen HOST:PORT (TAGDECK_LISTEN=HOST:PORT for scripts/demo.sh)",
                config.listen
            );
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .expect("a bound socket has an address");
    let has_demo = state.instance(seed::DEMO_INSTANCE_ID).is_some();
    // The banner: the address first, then the credentials it accepts (demo
    // values by default; printing them is the point).
    println!("tagdeck-emulator listening on http://{addr}");
    println!("access-key-id: {}", config.credentials.access_key_id());
    println!(
        "access-key-secret: {}",
        config.credentials.access_key_secret()
    );
    if let Some(token) = config.credentials.security_token() {
        println!("security-token: {token}");
    }
    println!("auth-token: {}", config.auth_token.expose());
    if has_demo {
        println!("region-id: {}", seed::DEMO_REGION_ID);
        println!("instance-id: {}", seed::DEMO_INSTANCE_ID);
    }
    println!("dashboard: http://{addr}/");
    match (&config.state_file, origin) {
        (Some(path), Origin::Loaded) => println!("state: {} (loaded)", path.display()),
        (Some(path), Origin::Seeded) => println!("state: {} (new)", path.display()),
        (None, _) => println!("state: in memory"),
    }
    let app = Arc::new(App::new(config, state));
    serve(app, listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    ExitCode::SUCCESS
}
