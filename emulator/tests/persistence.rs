//! `--state FILE`: every acknowledged change survives a restart, even a
//! `kill -9` of the binary; concurrent changes all land.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::*;
use tagdeck_emulator::seed::Seed;
use tagdeck_emulator::server::Origin;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tagdeck-emulator-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn with_instance<'a>(params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("InstanceId", INSTANCE), ("RegionId", REGION)];
    all.extend_from_slice(params);
    all
}

fn ok(addr: SocketAddr, action: &str, params: &[(&str, &str)]) -> tagdeck::Value {
    call(addr, action, &with_instance(params)).ok()
}

fn tag_count(addr: SocketAddr, repo: &str) -> i64 {
    int(&ok(addr, "ListRepoTag", &[("RepoId", repo)]), "TotalCount")
}

#[test]
fn changes_survive_a_restart() {
    let dir = temp_dir("restart");
    let file = dir.join("state.json");
    let path = file.clone();
    let server = start_with(move |c| c.state_file = Some(path));
    assert_eq!(server.origin, Origin::Seeded);
    let web = repo_id(server.addr, "demo", "web");
    ok(server.addr, "CreateNamespace", &[("NamespaceName", "kept")]);
    ok(
        server.addr,
        "CreateRepoTag",
        &copy_tag("demo", "web", "latest", "kept-tag"),
    );
    ok(server.addr, "DeleteRepoTag", &repo_tag(&web, "stable"));
    let swr = http(
        server.addr,
        "POST",
        "/v2/manage/namespaces/demo/repos/web/tags",
        &[("X-Auth-Token", TOKEN)],
        br#"{"source_tag":"latest","destination_tag":"swr-kept"}"#,
    );
    assert_eq!(swr.status, 201);
    let count = tag_count(server.addr, &web);
    server.stop();

    // The file wins over --seed once it exists.
    let path = file.clone();
    let again = start_with(move |c| {
        c.state_file = Some(path);
        c.seed = Seed::Empty;
    });
    assert_eq!(again.origin, Origin::Loaded);
    ok(again.addr, "GetNamespace", &[("NamespaceName", "kept")]);
    ok(again.addr, "GetRepoTag", &repo_tag(&web, "kept-tag"));
    let gone = fails(again.addr, "GetRepoTag", &repo_tag(&web, "stable"));
    assert_eq!(gone.code, "TAG_NOT_EXIST");
    assert_eq!(tag_count(again.addr, &web), count);
    let swr = with_token(
        again.addr,
        "GET",
        "/v2/manage/namespaces/demo/repos/web/tags/swr-kept",
    );
    assert_eq!(swr.status, 200);
    again.stop();
    // Nothing but the state file is left in the directory.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fifty_clients_creating_and_deleting_at_once_leave_exactly_the_expected_state() {
    let dir = temp_dir("concurrent");
    let file = dir.join("state.json");
    let path = file.clone();
    let server = start_with(move |c| c.state_file = Some(path));
    let addr = server.addr;
    let worker = repo_id(addr, "demo", "worker");
    let before = tag_count(addr, &worker);
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let worker = worker.clone();
            std::thread::spawn(move || {
                let (a, b) = (format!("client{i}-a"), format!("client{i}-b"));
                for tag in [&a, &b] {
                    ok(
                        addr,
                        "CreateRepoTag",
                        &copy_tag("demo", "worker", "latest", tag),
                    );
                }
                ok(addr, "DeleteRepoTag", &repo_tag(&worker, &a));
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a client failed");
    }
    let check = |addr: SocketAddr| {
        let all = ok(
            addr,
            "ListRepoTag",
            &[("RepoId", &worker), ("PageSize", "100")],
        );
        assert_eq!(int(&all, "TotalCount"), before + 50);
        let names: Vec<&str> = list(&all, "Images")
            .iter()
            .map(|i| text(i, "Tag"))
            .collect();
        for i in 0..50 {
            assert!(
                names.contains(&format!("client{i}-b").as_str()),
                "client{i}-b missing"
            );
            assert!(
                !names.contains(&format!("client{i}-a").as_str()),
                "client{i}-a left over"
            );
        }
    };
    check(addr);
    server.stop();
    let path = file.clone();
    let again = start_with(move |c| c.state_file = Some(path));
    check(again.addr);
    again.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The binary, started on a free port; its first line gives the address.
fn spawn_binary(state: &Path) -> (Child, SocketAddr, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tagdeck-emulator"))
        .args(["--listen", "127.0.0.1:0", "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    let addr = first
        .strip_prefix("tagdeck-emulator listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .parse()
        .unwrap();
    let rest: Vec<String> = lines.by_ref().take(7).map(|l| l.unwrap()).collect();
    (child, addr, rest)
}

#[test]
fn an_acknowledged_change_survives_kill_9() {
    let dir = temp_dir("kill");
    let file = dir.join("state.json");
    let (mut child, addr, banner) = spawn_binary(&file);
    assert!(
        banner.iter().any(|l| l.starts_with("access-key-id: ")),
        "{banner:?}"
    );
    assert!(banner.iter().any(|l| l.starts_with("access-key-secret: ")));
    assert!(banner.iter().any(|l| l.starts_with("auth-token: ")));
    assert!(banner
        .iter()
        .any(|l| l == &format!("state: {} (new)", file.display())));
    ok(
        addr,
        "CreateRepoTag",
        &copy_tag("demo", "api", "latest", "before-kill"),
    );
    child.kill().unwrap(); // SIGKILL: no chance to flush anything
    child.wait().unwrap();

    let (mut child, addr, banner) = spawn_binary(&file);
    assert!(
        banner
            .iter()
            .any(|l| l == &format!("state: {} (loaded)", file.display())),
        "{banner:?}"
    );
    let api = repo_id(addr, "demo", "api");
    ok(addr, "GetRepoTag", &repo_tag(&api, "before-kill"));
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Starts the emulator on state file `file`, which must refuse to start;
/// what it wrote to stderr.
fn refused_state(file: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tagdeck-emulator"))
        .args(["--listen", "127.0.0.1:0", "--state"])
        .arg(file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_damaged_state_file_is_refused_by_name() {
    let dir = temp_dir("damaged");
    let file = dir.join("state.json");
    std::fs::write(&file, b"{\"format\": 1").unwrap();
    let stderr = refused_state(&file);
    assert!(
        stderr.contains("state.json") && stderr.contains("not a tagdeck-emulator state file"),
        "{stderr}"
    );
    // The file is left as it was: nothing is lost.
    assert_eq!(std::fs::read(&file).unwrap(), b"{\"format\": 1");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unwritable_state_path_is_named() {
    let dir = temp_dir("unwritable");
    let file = dir.join("missing-dir/state.json");
    let stderr = refused_state(&file);
    assert!(stderr.contains("missing-dir/state.json"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
