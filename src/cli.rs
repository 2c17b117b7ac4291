//! The command line: argument parsing, output formats, colours and exit codes. The only module
//! that knows about terminals and processes.

use crate::check::{check, CheckOptions, Checked};
use crate::diagnostic::Severity;
use crate::report;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "plansmith",
    version,
    about = "Checks a folder of Markdown implementation plans: Smithy interfaces, mermaid diagrams, dependencies between plans."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Json,
    Mermaid,
    /// A self-contained SVG drawing.
    Svg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Files and folders to read (folders are walked honouring .gitignore).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Worker threads (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Existing Smithy models (.smithy, .json) that plans may use but that are not plans.
    #[arg(long = "model-path", value_name = "PATH")]
    pub model_paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Checks the plans, then writes every artifact: diagrams, service maps, the dependency
    /// graph, the merged model, the interface catalogue and the review site.
    Build {
        #[command(flatten)]
        common: CommonArgs,
        /// Output folder.
        #[arg(long, short = 'o')]
        out: PathBuf,
        /// Lowest severity that makes the exit status 1.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// Show only findings at or above --fail-on.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Colour in the diagnostics.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Reads the plans and reports every problem found.
    Check {
        #[command(flatten)]
        common: CommonArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Lowest severity that makes the exit status 1.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// Show only findings at or above --fail-on, and no summary line.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Colour in human output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Prints the plan dependency graph, or the implementation order.
    Graph {
        #[command(flatten)]
        common: CommonArgs,
        /// Output format of the graph.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Print the implementation order (waves of plans that can proceed in parallel).
        #[arg(long)]
        order: bool,
    },
    /// Prints the Smithy JSON AST of the model made of the given files (like `smithy ast`).
    Ast {
        /// `.smithy`, `.json` (Smithy JSON AST) and `.md` files, or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Worker threads (0 = one per core).
        #[arg(long, short = 'j', default_value_t = 0)]
        jobs: usize,
        /// Colour in the diagnostics.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Renders one mermaid diagram to SVG.
    Render {
        /// A `.mmd` file, or `-` for standard input.
        input: String,
        /// Where to write the SVG (default: standard output).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Colour in the diagnostics.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Writes every smithy and mermaid block to its own file, with an index.json.
    Extract {
        #[command(flatten)]
        common: CommonArgs,
        /// Output folder.
        #[arg(long, short = 'o')]
        out: PathBuf,
    },
}

/// Exit statuses, decided here only.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

fn threshold(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    }
}

/// 0 when nothing reaches `--fail-on`, 1 for findings, 2 when an input could not be read.
pub fn exit_status(checked: &Checked, fail_on: FailOn) -> i32 {
    if !checked.input_errors.is_empty() {
        return EXIT_TROUBLE;
    }
    match threshold(fail_on) {
        Some(min) if checked.diagnostics.iter().any(|d| d.severity >= min) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn stderr_colour(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
        other => use_color(other),
    }
}

fn options(common: &CommonArgs) -> CheckOptions {
    CheckOptions {
        paths: common.paths.clone(),
        model_paths: common.model_paths.clone(),
        jobs: common.jobs,
    }
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`plansmith check | head`) is not an error worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Runs the parsed command and returns the exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Build {
            common,
            out,
            fail_on,
            quiet,
            color,
        } => build(&common, &out, fail_on, quiet, color),
        Command::Check {
            common,
            format,
            fail_on,
            quiet,
            color,
        } => {
            let checked = check(&options(&common));
            let min = if quiet {
                threshold(fail_on).unwrap_or(Severity::Error)
            } else {
                Severity::Note
            };
            let text = match format {
                Format::Human => {
                    let mut text = report::render_human(&checked, min, use_color(color));
                    if !quiet {
                        text.push_str(&report::summary_line(&checked));
                        text.push('\n');
                    }
                    text
                }
                Format::Json => report::render_json(&checked),
                Format::Sarif => report::render_sarif(&checked, min),
                Format::Github => report::render_github(&checked, min),
            };
            print(&text);
            exit_status(&checked, fail_on)
        }
        Command::Graph {
            common,
            format,
            order,
        } => {
            let checked = check(&options(&common));
            let text = match (order, format) {
                (true, GraphFormat::Json) => {
                    let mut text =
                        serde_json::to_string_pretty(&crate::deps::waves(&checked.graph))
                            .unwrap_or_default();
                    text.push('\n');
                    text
                }
                (true, _) => crate::deps::render_order(&checked.graph),
                (false, GraphFormat::Dot) => crate::deps::render_dot(&checked.graph),
                (false, GraphFormat::Json) => crate::deps::render_json(&checked.graph),
                (false, GraphFormat::Mermaid) => crate::deps::render_mermaid(&checked.graph),
                (false, GraphFormat::Svg) => {
                    crate::render::plans::render_plan_graph(&checked.graph, "plans-").svg
                }
            };
            print(&text);
            if !checked.input_errors.is_empty() {
                EXIT_TROUBLE
            } else if checked.graph.cycles.is_empty() {
                EXIT_OK
            } else {
                EXIT_FINDINGS
            }
        }
        Command::Ast { paths, jobs, color } => {
            let mut checked = check(&CheckOptions {
                paths,
                model_paths: Vec::new(),
                jobs,
            });
            // The model's own findings; plan-level ones belong to `check`.
            checked
                .diagnostics
                .retain(|d| !["PLAN", "DEP", "MMD"].iter().any(|p| d.code.starts_with(p)));
            let errors = checked
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error);
            eprint!(
                "{}",
                report::render_human(&checked, Severity::Warning, stderr_colour(color))
            );
            // Streamed: a large model need not be held twice as text.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = serde_json::to_writer_pretty(&mut out, &checked.model.to_json_ast())
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
                .and_then(|()| out.flush());
            drop(out);
            let status = if !checked.input_errors.is_empty() {
                EXIT_TROUBLE
            } else if errors {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            };
            // The process ends right after this; freeing a large model piece by piece would
            // only cost time.
            std::mem::forget(checked);
            status
        }
        Command::Render {
            input,
            output,
            color,
        } => render(&input, output.as_deref(), color),
        Command::Extract { common, out } => {
            let checked = check(&options(&common));
            match crate::extract::extract(&checked, &out) {
                Ok(count) => {
                    eprintln!("wrote {count} blocks and index.json to {}", out.display());
                    if checked.input_errors.is_empty() {
                        EXIT_OK
                    } else {
                        EXIT_TROUBLE
                    }
                }
                Err(e) => {
                    eprintln!("error: cannot write to {}: {e}", out.display());
                    EXIT_TROUBLE
                }
            }
        }
    }
}

/// A progress bar on a terminal only; nothing otherwise.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    let style =
        indicatif::ProgressStyle::with_template("{spinner} {msg:10} [{bar:30}] {pos}/{len}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

fn build(
    common: &CommonArgs,
    out: &std::path::Path,
    fail_on: FailOn,
    quiet: bool,
    color: ColorChoice,
) -> i32 {
    let bar = progress_bar();
    let progress = |stage: &str, done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_message(stage.to_string());
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let options = crate::build::BuildOptions {
        check: options(common),
        out: out.to_path_buf(),
    };
    let result = crate::build::build(&options, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(result) => {
            let min = if quiet {
                threshold(fail_on).unwrap_or(Severity::Error)
            } else {
                Severity::Warning
            };
            eprint!(
                "{}",
                report::render_human(&result.checked, min, stderr_colour(color))
            );
            eprintln!(
                "{}; wrote {} of {} artifacts to {} ({} unchanged, {} removed)",
                report::summary_line(&result.checked),
                result.changed,
                result.artifacts,
                out.display(),
                result.artifacts - result.changed,
                result.removed
            );
            exit_status(&result.checked, fail_on)
        }
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", out.display());
            EXIT_TROUBLE
        }
    }
}

fn render(input: &str, output: Option<&std::path::Path>, color: ColorChoice) -> i32 {
    let (display, text) = if input == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            eprintln!("error: cannot read standard input: {e}");
            return EXIT_TROUBLE;
        }
        ("<stdin>".to_string(), text)
    } else {
        match std::fs::read(input) {
            Ok(bytes) => (
                input.to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ),
            Err(e) => {
                eprintln!("error: cannot read {input}: {e}");
                return EXIT_TROUBLE;
            }
        }
    };
    let source = crate::source::SourceText::whole_file(display.clone(), text);
    let (rendered, diagnostics) = crate::render::render_mermaid(&source, "d-");
    if !diagnostics.is_empty() {
        let single = Checked {
            files: vec![crate::plan::read_standalone(
                &display,
                &source.text,
                crate::plan::BlockKind::Mermaid,
            )],
            diagnostics,
            ..Checked::default()
        };
        let stderr_colour = match color {
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
            other => use_color(other),
        };
        eprint!(
            "{}",
            report::render_human(&single, Severity::Note, stderr_colour)
        );
    }
    let Some(rendered) = rendered else {
        return EXIT_FINDINGS;
    };
    match output {
        Some(path) => match crate::output::write_atomic(path, rendered.svg.as_bytes()) {
            Ok(_) => EXIT_OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                EXIT_TROUBLE
            }
        },
        None => {
            print(&rendered.svg);
            EXIT_OK
        }
    }
}

/// The binary's entry point: parse arguments, run, and turn a panic into exit status 2.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match std::panic::catch_unwind(move || run(cli)) {
        Ok(status) => status,
        Err(_) => {
            eprintln!("error: internal error in plansmith (please report it with the input that caused it)");
            EXIT_TROUBLE
        }
    }
}
