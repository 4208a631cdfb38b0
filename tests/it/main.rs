//! copydesk's integration tests: one binary, data driven. Run with `cargo xtask test`.

mod analysis;
mod batch;
mod classifiers;
mod exporters;
mod model;
mod plugins;
mod scaffold;
mod stream;
