//! tagdeck-emulator: a local registry that speaks the Alibaba Cloud
//! Container Registry Enterprise Edition RPC API (`cr`, `2018-12-01`), the
//! Scaleway registry v1 and the OTC SWR v2 tag APIs, keeps real state,
//! verifies signatures as the services do, and serves the dashboard.
//!
//! Start it with [`spawn`] (tests) or the `tagdeck-emulator` binary.
//!
//! Layout: [`config`] (command line), [`server`] (HTTP, routing),
//! [`rpc`] (the cr API's request pipeline), [`auth`] (signature, timestamp,
//! nonce, STS), [`api`] (one module per operation group), [`shape`]
//! (answers in the catalogue's shape), [`scaleway`], [`swr`], [`statics`]
//! (dashboard files and CORS), [`faults`], [`state`] (the model),
//! [`seed`] (demo data), [`persist`] (the state file), [`clock`] (time and
//! randomness).

pub mod api;
pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod faults;
pub mod persist;
pub mod reply;
pub mod rpc;
pub mod scaleway;
pub mod seed;
pub mod server;
pub mod shape;
pub mod state;
pub mod statics;
pub mod swr;
pub mod swr_retention;

pub use config::Config;
pub use server::{spawn, Running};
