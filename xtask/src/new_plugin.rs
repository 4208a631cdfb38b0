//! `cargo xtask new-plugin classifier|exporter NAME [--path DIR]`: scaffolds a plugin crate
//! that builds, loads and shows in `copydesk plugins` with no edits, with a unit test of its own.
//!
//! - Without `--path`, the crate is `plugins/classify-NAME` (or `plugins/export-NAME`), a
//!   member of this workspace like the built-in plugins: `cargo build` puts it next to
//!   `copydesk`, and `cargo xtask run` builds it.
//! - With `--path DIR`, the crate is created in `DIR`, a workspace of its own that depends on
//!   this workspace's `crates/plugin-api` by path and starts from a copy of its `Cargo.lock`
//!   (the same dependency versions as copydesk, and no registry access needed to build).
//!
//! The files come from the plain-text templates in `xtask/templates/`, whose `{{placeholders}}`
//! are replaced here.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask new-plugin <classifier|exporter> NAME [--path DIR]

Creates a plugin crate: plugins/classify-NAME or plugins/export-NAME in this workspace, or DIR
with --path (a crate of its own outside the workspace). NAME is what pipelines call the plugin:
lowercase ASCII letters, digits and '-', starting with a letter.";

const CARGO_TEMPLATE: &str = include_str!("../templates/Cargo.toml.txt");
const STANDALONE_TEMPLATE: &str = include_str!("../templates/standalone.toml.txt");
const CLASSIFIER_TEMPLATE: &str = include_str!("../templates/classifier.rs.txt");
const EXPORTER_TEMPLATE: &str = include_str!("../templates/exporter.rs.txt");

/// Runs `new-plugin` with the arguments that follow it on the command line.
pub fn run(args: &[String]) -> Result<(), Box<dyn Error>> {
    if args
        .iter()
        .any(|arg| matches!(arg.as_str(), "-h" | "--help" | "help"))
    {
        println!("{USAGE}");
        return Ok(());
    }
    let request = Request::parse(args).map_err(|message| format!("{message}\n\n{USAGE}"))?;
    let root = workspace_root();
    let plan = Plan::new(&request, &root)?;
    plan.write()?;
    plan.print_next_steps(&root);
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Classifier,
    Exporter,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Classifier => "classifier",
            Kind::Exporter => "exporter",
        }
    }

    /// The crate name prefix the built-in plugins use.
    fn crate_prefix(self) -> &'static str {
        match self {
            Kind::Classifier => "classify",
            Kind::Exporter => "export",
        }
    }

    /// The pipeline table that names plugins of this kind.
    fn pipeline_table(self) -> &'static str {
        match self {
            Kind::Classifier => "classify",
            Kind::Exporter => "export",
        }
    }
}

/// What the command line asked for.
#[derive(Debug)]
struct Request {
    kind: Kind,
    name: String,
    path: Option<PathBuf>,
}

impl Request {
    fn parse(args: &[String]) -> Result<Request, String> {
        let mut positional = Vec::new();
        let mut path = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if arg == "--path" {
                let dir = args.next().ok_or("`--path` needs a folder")?;
                path = Some(PathBuf::from(dir));
            } else if let Some(dir) = arg.strip_prefix("--path=") {
                path = Some(PathBuf::from(dir));
            } else if arg.starts_with('-') {
                return Err(format!("unknown option `{arg}`"));
            } else {
                positional.push(arg.as_str());
            }
        }
        let (kind, name) = match positional.as_slice() {
            [kind, name] => (*kind, *name),
            _ => return Err("expected a kind (`classifier` or `exporter`) and a NAME".to_string()),
        };
        let kind = match kind {
            "classifier" => Kind::Classifier,
            "exporter" => Kind::Exporter,
            other => {
                return Err(format!(
                    "unknown plugin kind `{other}`: expected `classifier` or `exporter`"
                ));
            }
        };
        validate_name(name)?;
        Ok(Request {
            kind,
            name: name.to_string(),
            path,
        })
    }
}

/// Plugin names are pipeline keys, label keys and part of crate and type names, so they keep
/// to what all of those accept.
fn validate_name(name: &str) -> Result<(), String> {
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_lowercase());
    let allowed = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !starts_with_letter || !allowed || name.ends_with('-') || name.contains("--") {
        return Err(format!(
            "invalid plugin name `{name}`: use lowercase ASCII letters, digits and single '-', \
             starting with a letter and not ending with '-' (like `conflict` or `wire-credits`)"
        ));
    }
    Ok(())
}

/// Everything to write, decided before anything is written.
struct Plan {
    kind: Kind,
    name: String,
    crate_name: String,
    lib_name: String,
    dir: PathBuf,
    /// Outside the workspace: a workspace of its own, with a copy of the lock file.
    standalone: bool,
    files: Vec<(PathBuf, String)>,
}

impl Plan {
    fn new(request: &Request, root: &Path) -> Result<Plan, Box<dyn Error>> {
        let kind = request.kind;
        let name = request.name.clone();
        let crate_name = format!("{}-{name}", kind.crate_prefix());
        let lib_name = format!("copydesk_{}", crate_name.replace('-', "_"));
        let type_name = format!("{}{}", camel_case(&name), camel_case(kind.as_str()));
        let plugins_dir = root.join("plugins");
        let dir = match &request.path {
            Some(path) => absolute(path)?,
            None => plugins_dir.join(&crate_name),
        };
        refuse_to_overwrite(&dir)?;
        // Only crates directly in `plugins/` are members (the root manifest's `plugins/*`).
        let standalone = dir.parent() != Some(plugins_dir.as_path());

        let root_manifest = fs::read_to_string(root.join("Cargo.toml"))?;
        let dependency = |dependency: &str| -> Result<String, Box<dyn Error>> {
            if standalone {
                let spec = workspace_dependency(&root_manifest, dependency).ok_or_else(|| {
                    format!(
                        "{dependency} is not in [workspace.dependencies] of the root Cargo.toml"
                    )
                })?;
                Ok(format!("{dependency} = {spec}"))
            } else {
                Ok(format!("{dependency}.workspace = true"))
            }
        };
        let plugin_api = if standalone {
            let plugin_api_dir = root.join("crates").join("plugin-api");
            format!("plugin-api = {{ path = {} }}", toml_string(&plugin_api_dir))
        } else {
            dependency("plugin-api")?
        };
        let dependencies = [plugin_api, dependency("serde")?].join("\n");
        let dev_dependencies = match kind {
            Kind::Classifier => dependency("serde_json")?,
            Kind::Exporter => dependency("tempfile")?,
        };
        let package_fields = if standalone {
            "version = \"0.1.0\"\nedition = \"2024\"\npublish = false"
        } else {
            "version.workspace = true\nedition.workspace = true\nrust-version.workspace = true\n\
             license.workspace = true\npublish.workspace = true"
        };
        let standalone_table = if standalone {
            render(
                STANDALONE_TEMPLATE,
                &[("profiles", profiles(&root_manifest).trim_end())],
            )?
        } else {
            String::new()
        };
        let replacements = [
            ("name", name.as_str()),
            ("kind", kind.as_str()),
            ("crate_name", crate_name.as_str()),
            ("lib_name", lib_name.as_str()),
            ("type_name", type_name.as_str()),
            ("package_fields", package_fields),
            ("dependencies", dependencies.as_str()),
            ("dev_dependencies", dev_dependencies.as_str()),
            ("standalone", standalone_table.as_str()),
        ];
        let source_template = match kind {
            Kind::Classifier => CLASSIFIER_TEMPLATE,
            Kind::Exporter => EXPORTER_TEMPLATE,
        };
        let mut files = vec![
            (
                dir.join("Cargo.toml"),
                render(CARGO_TEMPLATE, &replacements)?
                    .trim_end()
                    .to_string()
                    + "\n",
            ),
            (
                dir.join("src").join("lib.rs"),
                render(source_template, &replacements)?,
            ),
        ];
        if standalone && let Ok(lock) = fs::read_to_string(root.join("Cargo.lock")) {
            files.push((dir.join("Cargo.lock"), lock));
        }
        Ok(Plan {
            kind,
            name,
            crate_name,
            lib_name,
            dir,
            standalone,
            files,
        })
    }

    fn write(&self) -> Result<(), Box<dyn Error>> {
        for (path, contents) in &self.files {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, contents)
                .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        }
        // Templates are formatted for typical names; a long name can change the layout.
        // Best effort: without rustfmt the crate still builds.
        let _ = Command::new("rustfmt")
            .args(["--edition", "2024"])
            .arg(self.dir.join("src").join("lib.rs"))
            .status();
        Ok(())
    }

    fn print_next_steps(&self, root: &Path) {
        let shown_dir = self.dir.strip_prefix(root).unwrap_or(&self.dir);
        println!(
            "created {} `{}` in {} (crate {}, library {})",
            self.kind.as_str(),
            self.name,
            shown_dir.display(),
            self.crate_name,
            self.lib_name
        );
        let table = self.kind.pipeline_table();
        println!("\nnext:");
        if self.standalone {
            let manifest = self.dir.join("Cargo.toml");
            let built = self.dir.join("target").join("debug");
            println!("  cargo test --manifest-path {}", manifest.display());
            println!("  cargo build --manifest-path {}", manifest.display());
            println!(
                "  cargo build -p copydesk -p export-jsonl -p classify-language   # in copydesk"
            );
            println!(
                "  target/debug/copydesk plugins --plugins target/debug --plugins {}",
                built.display()
            );
        } else {
            println!("  cargo test -p {}", self.crate_name);
            println!("  cargo build -p copydesk -p {}", self.crate_name);
            println!("  target/debug/copydesk plugins");
        }
        println!(
            "  then name it in a pipeline: [[{table}]] plugin = \"{}\"",
            self.name
        );
        println!("  and see docs/writing-plugins.md");
    }
}

fn workspace_root() -> PathBuf {
    // This file is compiled into xtask, one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn absolute(path: &Path) -> Result<PathBuf, Box<dyn Error>> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

/// A folder may be reused only while it is empty.
fn refuse_to_overwrite(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    let is_empty_dir = fs::read_dir(dir)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false);
    if is_empty_dir {
        Ok(())
    } else {
        Err(format!(
            "{} already exists: not overwriting it (pick another NAME or --path)",
            dir.display()
        ))
    }
}

/// `wire-credits` → `WireCredits`.
fn camel_case(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Replaces every `{{key}}`; a placeholder left over is a bug in a template.
fn render(template: &str, replacements: &[(&str, &str)]) -> Result<String, String> {
    let mut text = template.to_string();
    for (key, value) in replacements {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    match text.find("{{") {
        Some(start) => Err(format!(
            "template placeholder without a value: {}",
            text[start..].lines().next().unwrap_or_default()
        )),
        None => Ok(text),
    }
}

/// The value of `NAME = …` in the root manifest's `[workspace.dependencies]`, as written.
fn workspace_dependency(manifest: &str, name: &str) -> Option<String> {
    let mut in_table = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_table = line == "[workspace.dependencies]";
        } else if in_table
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == name
        {
            return Some(value.trim().to_string());
        }
    }
    None
}

/// The root manifest's `[profile.*]` tables, verbatim.
fn profiles(manifest: &str) -> String {
    let mut kept = String::new();
    let mut in_profile = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_profile = line.starts_with("[profile.");
        }
        if in_profile {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

/// A TOML basic string holding a path.
fn toml_string(path: &Path) -> String {
    let text = path.to_string_lossy();
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Request, String> {
        Request::parse(&args.iter().map(|arg| arg.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn names_are_validated() {
        for good in ["conflict", "wire-credits", "v2", "a"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Conflict",
            "2fast",
            "under_score",
            "trailing-",
            "a--b",
            "ünï",
            "a b",
        ] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arguments_are_kind_name_and_an_optional_path() {
        let request = parse(&["exporter", "wire-credits", "--path", "/tmp/x"])
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(request.kind, Kind::Exporter);
        assert_eq!(request.name, "wire-credits");
        assert_eq!(request.path, Some(PathBuf::from("/tmp/x")));
        assert!(parse(&["widget", "x"]).is_err());
        assert!(parse(&["classifier"]).is_err());
        assert!(parse(&["classifier", "x", "--path"]).is_err());
        assert!(parse(&["classifier", "x", "--force"]).is_err());
    }

    #[test]
    fn templates_have_no_unknown_placeholders() {
        let root = workspace_root();
        for kind in [Kind::Classifier, Kind::Exporter] {
            for path in [
                None,
                Some(std::env::temp_dir().join("copydesk-never-written")),
            ] {
                let request = Request {
                    kind,
                    name: "wire-credits".to_string(),
                    path,
                };
                let plan = Plan::new(&request, &root).unwrap_or_else(|error| panic!("{error}"));
                for (_, contents) in &plan.files {
                    assert!(!contents.contains("{{"), "{contents}");
                }
            }
        }
    }

    #[test]
    fn workspace_dependencies_are_read_as_written() {
        let manifest = "[workspace.dependencies]\nserde = { version = \"1\" }\n\n[profile.release]\ndebug = 1\n";
        assert_eq!(
            workspace_dependency(manifest, "serde").as_deref(),
            Some("{ version = \"1\" }")
        );
        assert_eq!(workspace_dependency(manifest, "debug"), None);
        assert_eq!(profiles(manifest), "[profile.release]\ndebug = 1\n");
        assert_eq!(camel_case("wire-credits"), "WireCredits");
    }
}
