/// Size limits that protect a run from runaway inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest text article file, after decompression.
    pub max_file_bytes: u64,
    /// Largest single JSON Lines record.
    pub max_record_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 16 << 20,
            max_record_bytes: 16 << 20,
        }
    }
}

/// "12.3 MiB", for messages.
pub(crate) fn human_bytes(n_bytes: u64) -> String {
    if n_bytes >= 1 << 20 {
        format!("{:.1} MiB", n_bytes as f64 / (1u64 << 20) as f64)
    } else if n_bytes >= 1 << 10 {
        format!("{:.1} KiB", n_bytes as f64 / 1024.0)
    } else {
        format!("{n_bytes} bytes")
    }
}
