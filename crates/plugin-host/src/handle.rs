//! Live plugin instances and the calls into them.

use std::ffi::c_void;
use std::fmt;
use std::path::Path;

use article::Label;
use plugin_api::abi::{self, Bytes, Sink};

use crate::load::Plugin;
use crate::{HostError, PluginKind};

/// A failed call into a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// The plugin's name.
    pub plugin: String,
    /// What it said (or the panic message).
    pub message: String,
    /// Whether the plugin panicked (caught at the boundary).
    pub panicked: bool,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.panicked {
            write!(f, "plugin `{}` panicked: {}", self.plugin, self.message)
        } else {
            write!(f, "plugin `{}`: {}", self.plugin, self.message)
        }
    }
}

impl std::error::Error for CallError {}

unsafe extern "C" fn append_to_vec(ctx: *mut c_void, bytes: Bytes) {
    if ctx.is_null() {
        return;
    }
    // SAFETY: `ctx` is the `&mut Vec<u8>` that `sink_for` made for this call; `bytes` is lent
    // by the plugin for this call.
    unsafe {
        let buffer = &mut *ctx.cast::<Vec<u8>>();
        buffer.extend_from_slice(bytes.as_slice());
    }
}

fn sink_for(buffer: &mut Vec<u8>) -> Sink {
    Sink {
        ctx: (buffer as *mut Vec<u8>).cast::<c_void>(),
        write: append_to_vec,
    }
}

/// Instance pointer owned by a handle.
struct Instance {
    ptr: *mut c_void,
    destroy: abi::DestroyFn,
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from the plugin's `create` and is dropped once.
        unsafe { (self.destroy)(self.ptr) }
    }
}

fn create(plugin: &Plugin, config: serde_json::Value) -> Result<Instance, HostError> {
    let decl = plugin.decl();
    let config = config.to_string();
    let mut error = Vec::new();
    // SAFETY: config and sink live through the call.
    let ptr = unsafe { (decl.create)(Bytes::from_slice(config.as_bytes()), sink_for(&mut error)) };
    if ptr.is_null() {
        let message = String::from_utf8_lossy(&error).into_owned();
        return Err(HostError::Create {
            name: plugin.name.clone(),
            kind: plugin.kind,
            path: plugin.path.clone(),
            message: if message.is_empty() {
                "no reason given".to_string()
            } else {
                message
            },
        });
    }
    Ok(Instance {
        ptr,
        destroy: decl.destroy,
    })
}

fn status_to_result(plugin: &str, status: i32, error: Vec<u8>) -> Result<(), CallError> {
    match status {
        abi::STATUS_OK => Ok(()),
        status => Err(CallError {
            plugin: plugin.to_string(),
            message: String::from_utf8_lossy(&error).into_owned(),
            panicked: status == abi::STATUS_PANIC,
        }),
    }
}

/// A running classifier. Shared by all worker threads.
pub struct Classifier {
    name: String,
    instance: Instance,
    classify: abi::ClassifyFn,
}

// SAFETY: the SDK requires classifiers to be `Send + Sync`; the ABI documents that the host
// calls `classify` concurrently.
unsafe impl Send for Classifier {}
// SAFETY: as above.
unsafe impl Sync for Classifier {}

impl Classifier {
    pub(crate) fn start(
        plugin: &Plugin,
        options: &serde_json::Value,
    ) -> Result<Classifier, HostError> {
        let classify = plugin
            .decl()
            .classify
            .ok_or_else(|| HostError::BadDeclaration {
                path: plugin.path.clone(),
                reason: "not a classifier".to_string(),
            })?;
        let instance = create(plugin, serde_json::json!({ "options": options }))?;
        Ok(Classifier {
            name: plugin.name.clone(),
            instance,
            classify,
        })
    }

    /// The plugin's name (the key of its labels).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Labels for one article, given as its JSON.
    pub fn classify(&self, article_json: &[u8]) -> Result<Vec<Label>, CallError> {
        let mut out = Vec::new();
        let mut error = Vec::new();
        // SAFETY: instance from `create`; buffers and sinks live through the call.
        let status = unsafe {
            (self.classify)(
                self.instance.ptr,
                Bytes::from_slice(article_json),
                sink_for(&mut out),
                sink_for(&mut error),
            )
        };
        status_to_result(&self.name, status, error)?;
        serde_json::from_slice(&out).map_err(|decode| CallError {
            plugin: self.name.clone(),
            message: format!("returned labels that are not valid JSON: {decode}"),
            panicked: false,
        })
    }
}

/// A running exporter. Owned by one writer thread.
pub struct Exporter {
    name: String,
    instance: Instance,
    write: abi::WriteFn,
    finish: abi::FinishFn,
}

// SAFETY: the SDK requires exporters to be `Send`; the host calls one from one thread at a time.
unsafe impl Send for Exporter {}

impl Exporter {
    pub(crate) fn start(
        plugin: &Plugin,
        options: &serde_json::Value,
        out_dir: &Path,
    ) -> Result<Exporter, HostError> {
        let (Some(write), Some(finish)) = (plugin.decl().write, plugin.decl().finish) else {
            return Err(HostError::BadDeclaration {
                path: plugin.path.clone(),
                reason: "not an exporter".to_string(),
            });
        };
        debug_assert_eq!(plugin.kind, PluginKind::Exporter);
        let instance = create(
            plugin,
            serde_json::json!({ "options": options, "out_dir": out_dir }),
        )?;
        Ok(Exporter {
            name: plugin.name.clone(),
            instance,
            write,
            finish,
        })
    }

    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writes one article, given as its JSON.
    pub fn write(&mut self, article_json: &[u8]) -> Result<(), CallError> {
        let mut error = Vec::new();
        // SAFETY: instance from `create`, used from this thread only; buffers live through the call.
        let status = unsafe {
            (self.write)(
                self.instance.ptr,
                Bytes::from_slice(article_json),
                sink_for(&mut error),
            )
        };
        status_to_result(&self.name, status, error)
    }

    /// Flushes and moves the outputs into place.
    pub fn finish(&mut self) -> Result<(), CallError> {
        let mut error = Vec::new();
        // SAFETY: as for `write`.
        let status = unsafe { (self.finish)(self.instance.ptr, sink_for(&mut error)) };
        status_to_result(&self.name, status, error)
    }
}
