//! A library that reports ABI 1 but has no entry symbol.

#[unsafe(no_mangle)]
pub extern "C" fn copydesk_plugin_abi() -> u32 {
    plugin_api::abi::ABI_VERSION
}
