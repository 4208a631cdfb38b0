//! Generic `extern "C"` entry points behind [`crate::export_classifier!`] and
//! [`crate::export_exporter!`]. Everything here catches panics: nothing unwinds into the host.

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::abi::{self, Bytes, STATUS_ERROR, STATUS_OK, STATUS_PANIC, Sink};
use crate::sdk::{Classifier, ExportContext, Exporter, PluginError, Record};

#[derive(serde::Deserialize)]
struct CreateConfig {
    #[serde(default)]
    options: Option<serde_json::Value>,
    #[serde(default)]
    out_dir: Option<std::path::PathBuf>,
}

fn send(sink: Sink, bytes: &[u8]) {
    // SAFETY: the host guarantees `sink` is valid for the duration of the current call.
    unsafe { (sink.write)(sink.ctx, Bytes::from_slice(bytes)) }
}

/// The message a panic carried (its `&str` or `String` payload), for error messages.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Runs `body`, turning an error or a panic into a status and a message on `error`.
fn guarded(error: Sink, body: impl FnOnce() -> Result<(), PluginError>) -> i32 {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => STATUS_OK,
        Ok(Err(plugin_error)) => {
            send(error, plugin_error.0.as_bytes());
            STATUS_ERROR
        }
        Err(payload) => {
            send(error, panic_message(payload.as_ref()).as_bytes());
            STATUS_PANIC
        }
    }
}

fn parse_config(config: Bytes) -> Result<CreateConfig, PluginError> {
    // SAFETY: the host lends `config` for this call.
    let bytes = unsafe { config.as_slice() };
    serde_json::from_slice(bytes)
        .map_err(|error| PluginError(format!("bad configuration: {error}")))
}

fn parse_options<O: serde::de::DeserializeOwned>(
    options: Option<serde_json::Value>,
) -> Result<O, PluginError> {
    let value = options.unwrap_or_else(|| serde_json::Value::Object(Default::default()));
    serde_json::from_value(value).map_err(|error| PluginError(format!("invalid options: {error}")))
}

/// `create` for classifier `C`.
///
/// # Safety
/// Called by the host with a valid config and sink.
pub unsafe extern "C" fn classifier_create<C: Classifier>(
    config: Bytes,
    error: Sink,
) -> *mut c_void {
    let mut instance: *mut c_void = std::ptr::null_mut();
    guarded(error, || {
        let config = parse_config(config)?;
        let classifier = C::new(parse_options(config.options)?)?;
        instance = Box::into_raw(Box::new(classifier)).cast::<c_void>();
        Ok(())
    });
    instance
}

/// `destroy` for any plugin type `T`.
///
/// # Safety
/// `instance` must come from the matching `create` and not be used afterwards.
pub unsafe extern "C" fn destroy<T>(instance: *mut c_void) {
    if instance.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: created by Box::into_raw in `create` for the same `T`.
        drop(unsafe { Box::from_raw(instance.cast::<T>()) });
    }));
}

/// `classify` for classifier `C`.
///
/// # Safety
/// `instance` must come from `classifier_create::<C>`; buffers and sinks valid for the call.
pub unsafe extern "C" fn classify<C: Classifier>(
    instance: *mut c_void,
    article: Bytes,
    out: Sink,
    error: Sink,
) -> i32 {
    guarded(error, || {
        // SAFETY: the host passes the instance it got from `create`; classifiers are Sync.
        let classifier = unsafe { &*instance.cast::<C>() };
        // SAFETY: the host lends the article bytes for this call.
        let bytes = unsafe { article.as_slice() };
        let article = crate::decode::article(bytes, C::READS)
            .map_err(|decode| PluginError(format!("cannot decode article: {decode}")))?;
        let labels = classifier.classify(&article)?;
        let json = serde_json::to_vec(&labels)?;
        send(out, &json);
        Ok(())
    })
}

/// `create` for exporter `E`.
///
/// # Safety
/// Called by the host with a valid config and sink.
pub unsafe extern "C" fn exporter_create<E: Exporter>(config: Bytes, error: Sink) -> *mut c_void {
    let mut instance: *mut c_void = std::ptr::null_mut();
    guarded(error, || {
        let config = parse_config(config)?;
        let out_dir = config
            .out_dir
            .ok_or_else(|| PluginError::new("the host gave no output folder"))?;
        let exporter = E::open(ExportContext { out_dir }, parse_options(config.options)?)?;
        instance = Box::into_raw(Box::new(exporter)).cast::<c_void>();
        Ok(())
    });
    instance
}

/// `write` for exporter `E`.
///
/// # Safety
/// `instance` must come from `exporter_create::<E>` and be used from one thread at a time.
pub unsafe extern "C" fn write<E: Exporter>(
    instance: *mut c_void,
    article: Bytes,
    error: Sink,
) -> i32 {
    guarded(error, || {
        // SAFETY: the host owns the instance and calls it from one writer thread.
        let exporter = unsafe { &mut *instance.cast::<E>() };
        // SAFETY: the host lends the article bytes for this call.
        let record = Record::new(unsafe { article.as_slice() });
        exporter.write(&record)
    })
}

/// `finish` for exporter `E`.
///
/// # Safety
/// As for [`write`].
pub unsafe extern "C" fn finish<E: Exporter>(instance: *mut c_void, error: Sink) -> i32 {
    guarded(error, || {
        // SAFETY: the host owns the instance and calls it from one writer thread.
        let exporter = unsafe { &mut *instance.cast::<E>() };
        exporter.finish()
    })
}

/// The declaration of classifier `C`.
pub const fn classifier_decl<C: Classifier>(version: &'static str) -> abi::PluginV1 {
    abi::PluginV1 {
        abi_version: abi::ABI_VERSION,
        size: std::mem::size_of::<abi::PluginV1>() as u32,
        kind: abi::KIND_CLASSIFIER,
        name: static_bytes(C::NAME),
        version: static_bytes(version),
        description: static_bytes(C::DESCRIPTION),
        create: classifier_create::<C>,
        destroy: destroy::<C>,
        classify: Some(classify::<C>),
        write: None,
        finish: None,
    }
}

/// The declaration of exporter `E`.
pub const fn exporter_decl<E: Exporter>(version: &'static str) -> abi::PluginV1 {
    abi::PluginV1 {
        abi_version: abi::ABI_VERSION,
        size: std::mem::size_of::<abi::PluginV1>() as u32,
        kind: abi::KIND_EXPORTER,
        name: static_bytes(E::NAME),
        version: static_bytes(version),
        description: static_bytes(E::DESCRIPTION),
        create: exporter_create::<E>,
        destroy: destroy::<E>,
        classify: None,
        write: Some(write::<E>),
        finish: Some(finish::<E>),
    }
}

const fn static_bytes(text: &'static str) -> Bytes {
    Bytes {
        ptr: text.as_ptr(),
        len: text.len(),
    }
}

/// Exports a [`Classifier`] implementation as this library's plugin.
#[macro_export]
macro_rules! export_classifier {
    ($classifier:ty) => {
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub extern "C" fn copydesk_plugin_abi() -> u32 {
            $crate::abi::ABI_VERSION
        }

        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub extern "C" fn copydesk_plugin_v1() -> *const $crate::abi::PluginV1 {
            static DECL: $crate::abi::PluginV1 =
                $crate::glue::classifier_decl::<$classifier>(env!("CARGO_PKG_VERSION"));
            &DECL
        }
    };
}

/// Exports an [`Exporter`] implementation as this library's plugin.
#[macro_export]
macro_rules! export_exporter {
    ($exporter:ty) => {
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub extern "C" fn copydesk_plugin_abi() -> u32 {
            $crate::abi::ABI_VERSION
        }

        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub extern "C" fn copydesk_plugin_v1() -> *const $crate::abi::PluginV1 {
            static DECL: $crate::abi::PluginV1 =
                $crate::glue::exporter_decl::<$exporter>(env!("CARGO_PKG_VERSION"));
            &DECL
        }
    };
}
