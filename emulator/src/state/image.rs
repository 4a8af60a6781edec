//! Images, stored by the digest of their manifest as a registry stores
//! them. The manifest is a real Docker image manifest (schema 2) and its
//! digest is the SHA-256 of its bytes; the image id is the digest of the
//! config blob; the size is what the blobs add up to.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::clock::Rng;

/// Media types of Docker image manifests and blobs.
pub const MANIFEST_V2: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// The config blob.
pub const CONFIG_V1: &str = "application/vnd.docker.container.image.v1+json";
/// A gzipped layer.
pub const LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/// One image: a config blob and its layers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Image {
    /// SHA-256 of the config blob, 64 hex characters: the image id.
    pub config_digest: String,
    /// Bytes of the config blob.
    pub config_size: i64,
    /// `amd64`, `arm64`.
    pub architecture: String,
    /// `linux`.
    pub os: String,
    /// When it was built, milliseconds.
    pub created: i64,
    /// Its layers, bottom first.
    pub layers: Vec<Layer>,
}

/// One layer and the instruction that made it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Layer {
    /// SHA-256 of the compressed blob, 64 hex characters.
    pub digest: String,
    /// Bytes of the compressed blob.
    pub size: i64,
    /// `ADD`, `RUN`, `COPY`.
    pub instruction: String,
    /// The instruction's arguments.
    pub command: String,
}

impl Image {
    /// The manifest (schema 2) exactly as a registry serves it.
    pub fn manifest_json(&self) -> String {
        let layers: Vec<String> = self
            .layers
            .iter()
            .map(|l| {
                format!(
                    r#"{{"mediaType":"{LAYER_GZIP}","size":{},"digest":"sha256:{}"}}"#,
                    l.size, l.digest
                )
            })
            .collect();
        format!(
            r#"{{"schemaVersion":2,"mediaType":"{MANIFEST_V2}","config":{{"mediaType":"{CONFIG_V1}","size":{},"digest":"sha256:{}"}},"layers":[{}]}}"#,
            self.config_size,
            self.config_digest,
            layers.join(",")
        )
    }

    /// SHA-256 of [`Image::manifest_json`], 64 hex characters.
    pub fn manifest_digest(&self) -> String {
        sha256_hex(self.manifest_json().as_bytes())
    }

    /// The bytes of the config and every layer.
    pub fn size(&self) -> i64 {
        self.config_size + self.layers.iter().map(|l| l.size).sum::<i64>()
    }

    /// The v1 compatibility history of a schema 1 manifest, one JSON
    /// document per layer, top layer first.
    pub fn v1_history(&self) -> Vec<String> {
        let n = self.layers.len();
        self.layers
            .iter()
            .enumerate()
            .rev()
            .map(|(i, layer)| {
                let id = sha256_hex(format!("{}{}", self.config_digest, layer.digest).as_bytes());
                let parent = if i == 0 {
                    String::new()
                } else {
                    let below = &self.layers[i - 1];
                    format!(
                        r#","parent":"{}""#,
                        sha256_hex(format!("{}{}", self.config_digest, below.digest).as_bytes())
                    )
                };
                let top = if i + 1 == n {
                    format!(r#","architecture":"{}","os":"{}""#, self.architecture, self.os)
                } else {
                    String::new()
                };
                format!(
                    r#"{{"id":"{id}"{parent}{top},"created":"{}","container_config":{{"Cmd":["/bin/sh","-c","{} {}"]}}}}"#,
                    crate::clock::rfc3339_seconds(self.created),
                    layer.instruction,
                    layer.command.replace('\\', "\\\\").replace('"', "\\\"")
                )
            })
            .collect()
    }
}

/// SHA-256 as 64 lower-case hex characters.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Base layers shared by many images, as real base images are.
const BASES: &[(&str, &str, i64)] = &[
    (
        "ADD",
        "file:alpine-minirootfs-3.19.1-x86_64.tar.gz in /",
        3_408_729,
    ),
    (
        "ADD",
        "file:debian-bookworm-slim-rootfs.tar.xz in /",
        29_126_484,
    ),
    (
        "ADD",
        "file:ubuntu-jammy-oci-amd64-root.tar.gz in /",
        29_533_422,
    ),
    ("ADD", "file:distroless-static-debian12.tar in /", 1_033_214),
];

/// Instructions of the layers above the base.
const STEPS: &[(&str, &str)] = &[
    ("RUN", "apk add --no-cache ca-certificates tzdata"),
    ("RUN", "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"),
    ("COPY", "requirements.txt /app/"),
    ("RUN", "pip install --no-cache-dir -r /app/requirements.txt"),
    ("COPY", "dist/ /app/"),
    ("COPY", "--from=build /out/server /usr/local/bin/server"),
    ("RUN", "npm ci --omit=dev"),
    ("COPY", ". /srv/app"),
];

/// A new image: a shared base layer (chosen by `base`) and 1 to 4 layers of
/// its own, sizes and digests drawn from `rng`.
pub fn generate(rng: &mut Rng, base: usize, created: i64) -> Image {
    let (instruction, command, size) = BASES[base % BASES.len()];
    let mut layers = vec![Layer {
        digest: sha256_hex(command.as_bytes()),
        size,
        instruction: instruction.into(),
        command: command.into(),
    }];
    for _ in 0..1 + rng.below(4) {
        let (instruction, command) = STEPS[rng.below(STEPS.len() as u64) as usize];
        layers.push(Layer {
            digest: rng.hex(64),
            size: rng.between(2_048, 48_000_000),
            instruction: instruction.into(),
            command: command.into(),
        });
    }
    Image {
        config_digest: rng.hex(64),
        config_size: rng.between(1_400, 9_000),
        architecture: if rng.below(5) == 0 { "arm64" } else { "amd64" }.into(),
        os: "linux".into(),
        created,
        layers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_the_sha256_of_the_manifest_bytes() {
        let image = generate(&mut Rng(5), 0, 1_700_000_000_000);
        let json = image.manifest_json();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["schemaVersion"], 2);
        assert_eq!(
            parsed["layers"].as_array().unwrap().len(),
            image.layers.len()
        );
        assert_eq!(image.manifest_digest(), sha256_hex(json.as_bytes()));
        assert_eq!(image.manifest_digest().len(), 64);
    }

    #[test]
    fn known_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn history_entries_are_json() {
        let image = generate(&mut Rng(8), 1, 1_700_000_000_000);
        for entry in image.v1_history() {
            serde_json::from_str::<serde_json::Value>(&entry).unwrap();
        }
    }
}
