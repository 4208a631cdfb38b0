//! ABI v1: the `#[repr(C)]` types and entry symbols shared by host and plugins.
//!
//! A plugin library exports two symbols:
//!
//! - [`ABI_SYMBOL`] (`copydesk_plugin_abi`): `extern "C" fn() -> u32`, the ABI major version
//!   the plugin was built against. Its name and signature never change, so a host can always
//!   tell which ABI a library speaks before touching anything else.
//! - [`ENTRY_SYMBOL`] (`copydesk_plugin_v1`): `extern "C" fn() -> *const PluginV1`. The name
//!   carries the major version, so a library built for another major cannot be misread.
//!
//! [`PluginV1`] grows only by appending fields; its `size` field tells the host how much of it
//! the plugin knows about.
//!
//! Rules for both sides:
//! - Every pointer passed in is borrowed for the duration of one call only.
//! - Payloads are UTF-8 JSON: the options on `create`, an [`article::Article`] on `classify`
//!   and `write`, a list of [`article::Label`] written back by `classify`.
//! - No function unwinds: the SDK wraps each entry point in `catch_unwind` and turns a panic
//!   into [`STATUS_PANIC`] with its message written to the sink.

use std::ffi::c_void;

/// The ABI major version this crate implements.
pub const ABI_VERSION: u32 = 1;
/// Name of the symbol that reports a library's ABI major version. Stable across all versions.
pub const ABI_SYMBOL: &[u8] = b"copydesk_plugin_abi";
/// Name of the entry symbol of ABI v1.
pub const ENTRY_SYMBOL: &[u8] = b"copydesk_plugin_v1";

/// The call succeeded.
pub const STATUS_OK: i32 = 0;
/// The call failed; the error sink holds the message.
pub const STATUS_ERROR: i32 = 1;
/// The plugin panicked; the error sink holds the panic message.
pub const STATUS_PANIC: i32 = 2;

/// `PluginV1::kind` of a classifier.
pub const KIND_CLASSIFIER: u32 = 1;
/// `PluginV1::kind` of an exporter.
pub const KIND_EXPORTER: u32 = 2;

/// A borrowed byte string.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Bytes {
    /// Start of the bytes; may be dangling when `len` is 0.
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
}

impl Bytes {
    /// Borrows a slice for one call.
    pub fn from_slice(slice: &[u8]) -> Bytes {
        Bytes {
            ptr: slice.as_ptr(),
            len: slice.len(),
        }
    }

    /// The bytes as a slice.
    ///
    /// # Safety
    /// `ptr` must point to `len` readable bytes that outlive the returned slice.
    pub unsafe fn as_slice<'a>(self) -> &'a [u8] {
        if self.len == 0 || self.ptr.is_null() {
            return &[];
        }
        // SAFETY: guaranteed by the caller, as documented.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// Where a plugin writes its results: `write(ctx, bytes)` copies the bytes out and may be
/// called several times (the pieces are concatenated).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Sink {
    /// Host state; opaque to the plugin.
    pub ctx: *mut c_void,
    /// Appends bytes to the host's buffer.
    pub write: unsafe extern "C" fn(ctx: *mut c_void, bytes: Bytes),
}

/// Creates an instance from JSON configuration (`{"options": {...}, "out_dir": "..."}`);
/// null on failure, with the reason written to the sink.
pub type CreateFn = unsafe extern "C" fn(config: Bytes, error: Sink) -> *mut c_void;
/// Frees an instance.
pub type DestroyFn = unsafe extern "C" fn(instance: *mut c_void);
/// Classifies one article (JSON); writes a JSON list of labels to `out` on success and the
/// reason to `error` on failure.
pub type ClassifyFn =
    unsafe extern "C" fn(instance: *mut c_void, article: Bytes, out: Sink, error: Sink) -> i32;
/// Writes one article (JSON) to an exporter.
pub type WriteFn = unsafe extern "C" fn(instance: *mut c_void, article: Bytes, error: Sink) -> i32;
/// Finishes an exporter: flushes and moves its files into place.
pub type FinishFn = unsafe extern "C" fn(instance: *mut c_void, error: Sink) -> i32;

/// The declaration a v1 plugin returns from its entry symbol. Append-only.
#[repr(C)]
#[derive(Debug)]
pub struct PluginV1 {
    /// Always [`ABI_VERSION`] of the plugin's build.
    pub abi_version: u32,
    /// `size_of::<PluginV1>()` in the plugin's build.
    pub size: u32,
    /// [`KIND_CLASSIFIER`] or [`KIND_EXPORTER`].
    pub kind: u32,
    /// The plugin's name (UTF-8), as pipelines refer to it.
    pub name: Bytes,
    /// The plugin's version (UTF-8).
    pub version: Bytes,
    /// One line on what it does (UTF-8).
    pub description: Bytes,
    /// See [`CreateFn`].
    pub create: CreateFn,
    /// See [`DestroyFn`].
    pub destroy: DestroyFn,
    /// Set for classifiers.
    pub classify: Option<ClassifyFn>,
    /// Set for exporters.
    pub write: Option<WriteFn>,
    /// Set for exporters.
    pub finish: Option<FinishFn>,
}

// SAFETY: a declaration is immutable static data (string literals and function pointers).
unsafe impl Sync for PluginV1 {}
