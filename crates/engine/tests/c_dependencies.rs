//! The build compiles no C crypto library of its own on this platform: HTTPS is rustls with
//! ring (patches/mistralrs{,-mcp,-core}-0.8.1.patch take reqwest's aws-lc default out of
//! mistral.rs) and SQLCipher uses the system libcrypto on Linux (crates/store/Cargo.toml).
//! Each was minutes of a cold build on a 2-core machine, for code the app already had.

use std::collections::BTreeSet;
use std::process::Command;

/// Every package cargo builds for the platform this test runs on (`cargo tree`, which resolves
/// features per target; `cargo metadata` unifies them over all platforms, so there the Windows
/// build's vendored OpenSSL shows up on Linux too).
fn resolved_packages() -> BTreeSet<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml");
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--workspace", "--locked", "--offline", "--prefix", "none", "--format", "{p}"])
        .args(["--target", &rustc_host(), "--manifest-path", root])
        .output()
        .expect("run cargo tree");
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

fn rustc_host() -> String {
    let out = Command::new("rustc").arg("-vV").output().expect("run rustc -vV");
    String::from_utf8(out.stdout).unwrap().lines().find_map(|l| l.strip_prefix("host: ")).unwrap().to_string()
}

#[test]
fn no_aws_lc_and_on_linux_no_vendored_openssl() {
    let packages = resolved_packages();
    assert!(packages.contains("rustls") && packages.contains("ring"), "the HTTPS stack changed: {packages:?}");
    for unwanted in ["aws-lc-sys", "aws-lc-rs"] {
        assert!(
            !packages.contains(unwanted),
            "{unwanted} is back in the build (a dependency enables reqwest's default TLS)"
        );
    }
    if cfg!(target_os = "linux") {
        assert!(
            !packages.contains("openssl-src"),
            "OpenSSL is compiled from source again (rusqlite's vendored-openssl feature)"
        );
    }
}
