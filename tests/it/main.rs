//! copydesk's integration tests: one binary, data driven. Run with `cargo xtask test`.

mod batch;
mod model;
mod plugins;
