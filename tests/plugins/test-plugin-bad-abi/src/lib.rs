//! A plugin built "for ABI 999": the host must refuse it before calling anything else.

#[unsafe(no_mangle)]
pub extern "C" fn copydesk_plugin_abi() -> u32 {
    999
}

#[unsafe(no_mangle)]
pub extern "C" fn copydesk_plugin_v1() -> *const plugin_api::abi::PluginV1 {
    std::ptr::null()
}
