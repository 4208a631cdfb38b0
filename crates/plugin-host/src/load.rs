//! Opening libraries and reading their declarations.

use std::path::{Path, PathBuf};

use plugin_api::abi::{self, PluginV1};

use crate::handle::{Classifier, Exporter};
use crate::{HostError, PluginKind};

/// A loaded plugin: its declaration, read once at load time.
#[derive(Debug, Clone)]
pub struct Plugin {
    /// The name pipelines use.
    pub name: String,
    /// What it does.
    pub kind: PluginKind,
    /// The plugin's own version.
    pub version: String,
    /// One line on what it does.
    pub description: String,
    /// The ABI major version it was built for.
    pub abi: u32,
    /// The library file.
    pub path: PathBuf,
    decl: &'static PluginV1,
}

/// File names that are copydesk plugins: `libcopydesk_<name>.so` (or the platform's
/// equivalent), which is what cargo builds from a crate whose `[lib] name` starts with
/// `copydesk_`.
pub fn is_plugin_file(path: &Path) -> bool {
    let Some(file_name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    file_name.starts_with(&format!("{}copydesk_", std::env::consts::DLL_PREFIX))
        && file_name.ends_with(std::env::consts::DLL_SUFFIX)
}

/// Opens one library, checks its ABI version, and reads its declaration.
pub fn load_library(path: &Path) -> Result<Plugin, HostError> {
    let library = open(path)?;
    // Never unloaded: see the crate documentation.
    let library: &'static libloading::Library = Box::leak(Box::new(library));
    // SAFETY: the symbol's type is fixed by the ABI for every version; the plugin SDK defines it.
    let abi_fn =
        unsafe { library.get::<extern "C" fn() -> u32>(abi::ABI_SYMBOL) }.map_err(|_| {
            HostError::MissingSymbol {
                path: path.to_path_buf(),
                symbol: String::from_utf8_lossy(abi::ABI_SYMBOL).into_owned(),
            }
        })?;
    let found = abi_fn();
    if found != abi::ABI_VERSION {
        return Err(HostError::AbiMismatch {
            path: path.to_path_buf(),
            found,
            expected: abi::ABI_VERSION,
        });
    }
    // SAFETY: a library reporting ABI 1 exports the v1 entry with this signature.
    let entry = unsafe { library.get::<extern "C" fn() -> *const PluginV1>(abi::ENTRY_SYMBOL) }
        .map_err(|_| HostError::MissingSymbol {
            path: path.to_path_buf(),
            symbol: String::from_utf8_lossy(abi::ENTRY_SYMBOL).into_owned(),
        })?;
    let decl_ptr = entry();
    let bad = |reason: &str| HostError::BadDeclaration {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if decl_ptr.is_null() {
        return Err(bad("the entry symbol returned null"));
    }
    // SAFETY: non-null, points to the plugin's static declaration, valid while the library is
    // loaded, which is forever. Only the two leading u32 fields are read before the size check.
    let (abi_version, size) = unsafe { ((*decl_ptr).abi_version, (*decl_ptr).size) };
    if abi_version != abi::ABI_VERSION {
        return Err(HostError::AbiMismatch {
            path: path.to_path_buf(),
            found: abi_version,
            expected: abi::ABI_VERSION,
        });
    }
    if (size as usize) < std::mem::size_of::<PluginV1>() {
        return Err(bad(&format!(
            "declaration is {size} bytes, smaller than the {} of ABI v1",
            std::mem::size_of::<PluginV1>()
        )));
    }
    // SAFETY: checked above that the declaration is at least a full PluginV1.
    let decl: &'static PluginV1 = unsafe { &*decl_ptr };
    let kind = match (decl.kind, decl.classify, decl.write, decl.finish) {
        (abi::KIND_CLASSIFIER, Some(_), _, _) => PluginKind::Classifier,
        (abi::KIND_EXPORTER, _, Some(_), Some(_)) => PluginKind::Exporter,
        (kind, ..) => return Err(bad(&format!("kind {kind} without its functions"))),
    };
    let text = |bytes: abi::Bytes, field: &str| -> Result<String, HostError> {
        // SAFETY: declaration strings are static in the plugin.
        let slice = unsafe { bytes.as_slice() };
        std::str::from_utf8(slice)
            .map(str::to_string)
            .map_err(|_| bad(&format!("{field} is not UTF-8")))
    };
    let name = text(decl.name, "name")?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(bad(&format!(
            "name `{name}` must be non-empty ASCII letters, digits, `-` or `_`"
        )));
    }
    Ok(Plugin {
        name,
        kind,
        version: text(decl.version, "version")?,
        description: text(decl.description, "description")?,
        abi: abi_version,
        path: path.to_path_buf(),
        decl,
    })
}

fn open(path: &Path) -> Result<libloading::Library, HostError> {
    let error = |reason: String| HostError::Open {
        path: path.to_path_buf(),
        reason,
    };
    #[cfg(unix)]
    {
        use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
        // SAFETY: loading runs the library's initialisers; plugins come only from folders the
        // user configured, which is the trust boundary the design sets.
        unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
            .map(libloading::Library::from)
            .map_err(|load_error| error(load_error.to_string()))
    }
    #[cfg(not(unix))]
    {
        // SAFETY: as above.
        unsafe { libloading::Library::new(path) }
            .map_err(|load_error| error(load_error.to_string()))
    }
}

/// Every plugin found in a set of folders, and every file that looked like one but failed.
#[derive(Debug, Default)]
pub struct Registry {
    folders: Vec<PathBuf>,
    plugins: Vec<Plugin>,
    broken: Vec<HostError>,
}

impl Registry {
    /// Loads every plugin file (see [`is_plugin_file`]) in `folders`, in sorted order. Folders
    /// that do not exist are passed over. A second plugin with the same name and kind is
    /// broken: which one ran would otherwise depend on the folder order.
    pub fn discover(folders: &[PathBuf]) -> Registry {
        let mut registry = Registry {
            folders: folders.to_vec(),
            ..Registry::default()
        };
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| is_plugin_file(path))
                .collect();
            paths.sort();
            for path in paths {
                match load_library(&path) {
                    Ok(plugin) => registry.add(plugin),
                    Err(error) => registry.broken.push(error),
                }
            }
        }
        registry
    }

    fn add(&mut self, plugin: Plugin) {
        let same = self
            .plugins
            .iter()
            .find(|other| other.name == plugin.name && other.kind == plugin.kind);
        if let Some(other) = same {
            self.broken.push(HostError::BadDeclaration {
                path: plugin.path.clone(),
                reason: format!(
                    "{} `{}` is already provided by {}",
                    plugin.kind,
                    plugin.name,
                    other.path.display()
                ),
            });
        } else {
            self.plugins.push(plugin);
        }
    }

    /// The plugins that loaded.
    pub fn plugins(&self) -> &[Plugin] {
        &self.plugins
    }

    /// The files that looked like plugins but could not be loaded.
    pub fn broken(&self) -> &[HostError] {
        &self.broken
    }

    /// The folders searched.
    pub fn folders(&self) -> &[PathBuf] {
        &self.folders
    }

    /// The plugin of that name and kind.
    pub fn find(&self, name: &str, kind: PluginKind) -> Result<&Plugin, HostError> {
        self.plugins
            .iter()
            .find(|plugin| plugin.name == name && plugin.kind == kind)
            .ok_or_else(|| HostError::NotFound {
                name: name.to_string(),
                kind,
                searched: if self.folders.is_empty() {
                    "no plugin folder".to_string()
                } else {
                    self.folders
                        .iter()
                        .map(|folder| folder.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            })
    }

    /// Starts the classifier `name` with its options.
    pub fn classifier(
        &self,
        name: &str,
        options: &serde_json::Value,
    ) -> Result<Classifier, HostError> {
        self.find(name, PluginKind::Classifier)?
            .start_classifier(options)
    }

    /// Starts the exporter `name`, writing into `out_dir`.
    pub fn exporter(
        &self,
        name: &str,
        options: &serde_json::Value,
        out_dir: &Path,
    ) -> Result<Exporter, HostError> {
        self.find(name, PluginKind::Exporter)?
            .start_exporter(options, out_dir)
    }
}

impl Plugin {
    pub(crate) fn decl(&self) -> &'static PluginV1 {
        self.decl
    }

    /// Starts this plugin as a classifier.
    pub fn start_classifier(&self, options: &serde_json::Value) -> Result<Classifier, HostError> {
        Classifier::start(self, options)
    }

    /// Starts this plugin as an exporter writing into `out_dir`.
    pub fn start_exporter(
        &self,
        options: &serde_json::Value,
        out_dir: &Path,
    ) -> Result<Exporter, HostError> {
        Exporter::start(self, options, out_dir)
    }
}
