//! The command line: argument parsing, output formats, colours and exit codes. The only module
//! that knows about terminals and processes.
//!
//! Architecture Invariant: the only module that prints, colours or chooses an exit status;
//! every other module returns data or reports through callbacks.

use crate::check::{check, CheckOptions, Checked};
use crate::diagnostic::Severity;
use crate::discover::StdinInput;
use crate::report;
use crate::tuning::{Baseline, ConfigChoice, ConfigError, Tuning};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
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

pub use crate::tuning::FailOn;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    /// A pull-request comment: summary table, breaking changes first, details folded.
    Markdown,
    /// Breaking changes only.
    Sarif,
    /// Breaking changes only, as GitHub workflow annotations.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFailOn {
    Breaking,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Command {
    /// The `--jobs` of the commands that take one.
    fn jobs(&self) -> Option<usize> {
        match self {
            Command::Build { common, .. }
            | Command::Serve { common, .. }
            | Command::Check { common, .. }
            | Command::Graph { common, .. }
            | Command::Extract { common, .. } => Some(common.jobs),
            Command::Ast { jobs, .. } | Command::Diff { jobs, .. } => Some(*jobs),
            _ => None,
        }
    }
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
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Which `plansmith.toml` applies.
#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// The config file to use (default: plansmith.toml in the inputs' folder or above it, up to
    /// the repository root).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no config file.
    #[arg(long)]
    pub no_config: bool,
}

/// `build --watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// After the build, rebuild whenever an input changes (until interrupted); only what
    /// changed is drawn and written again.
    #[arg(long)]
    pub watch: bool,
    /// With --watch: poll the inputs for changes instead of asking the system to report them.
    #[arg(long, requires = "watch")]
    pub poll: bool,
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
        /// Lowest severity that makes the exit status 1 [default: the config's, else error].
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        /// Show only findings at or above --fail-on.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Colour in the diagnostics.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Report only findings not recorded in this baseline file.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Compare with this git revision (or folder) of the plans: the site gets a Changes
        /// page, and diagrams mark the nodes and edges added or changed since then.
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        /// Give every drawing the `data-*` attributes that name what each of its groups draws
        /// (for scripts that find nodes and edges in the SVG); by default only drawings with
        /// change marks (--base) carry them.
        #[arg(long)]
        svg_hooks: bool,
        #[command(flatten)]
        watch: WatchArgs,
    },
    /// Builds the review site, serves it on 127.0.0.1 and rebuilds it when a plan changes;
    /// open pages reload themselves.
    Serve {
        #[command(flatten)]
        common: CommonArgs,
        /// Output folder [default: a folder of this project's under the system's temporary
        /// folder, kept between runs so that unchanged drawings are reused].
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, short = 'p', default_value_t = 8000)]
        port: u16,
        /// Poll the inputs for changes instead of asking the system to report them.
        #[arg(long)]
        poll: bool,
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
        /// Lowest severity that makes the exit status 1 [default: the config's, else error].
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        /// Show only findings at or above --fail-on, and no summary line.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Colour in human output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Report only findings not recorded in this baseline file.
        #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
        baseline: Option<PathBuf>,
        /// Record every finding in this baseline file instead of reporting them.
        #[arg(long, value_name = "FILE")]
        write_baseline: Option<PathBuf>,
        /// The name of the plan read from standard input when a path is `-` (default
        /// `stdin.md`): it is reported under this name, and replaces the file of that name among
        /// the other inputs, so an editor can check an unsaved buffer against the other plans.
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
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
    /// Compares two revisions of the plans: Smithy changes as `smithy diff` reports them, and
    /// plan changes (plans, status, owner, target dates, dependencies, cycles, acceptance,
    /// diagrams).
    Diff {
        /// The base: a git revision, a folder of plans, or a model file (.smithy, .json).
        base: String,
        /// The head, named as the base is [default: the working tree's copy of --path].
        head: Option<String>,
        /// The folder of plans that a git revision is read at.
        #[arg(long, value_name = "DIR", default_value = ".")]
        path: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// What makes the exit status 1: breaking changes (ERROR or DANGER events, a new
        /// dependency cycle), also warnings (WARNING events, slipped target dates), or never.
        #[arg(long, value_enum, default_value_t = DiffFailOn::Breaking)]
        fail_on: DiffFailOn,
        /// Worker threads (0 = one per core).
        #[arg(long, short = 'j', default_value_t = 0)]
        jobs: usize,
        /// Existing Smithy models (.smithy, .json) that plans may use but that are not plans.
        #[arg(long = "model-path", value_name = "PATH")]
        model_paths: Vec<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
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
    /// Prints the documentation of a diagnostic code.
    Explain {
        /// A code such as PLAN005 or Target.
        code: String,
    },
    /// Starts a plan from the team's template (the config's `template`, else the built-in one):
    /// the title in its heading, status Draft, the owner from git and today's date.
    New {
        /// The plan's title.
        title: String,
        /// Where to write it [default: plans/<title-as-slug>/plan.md].
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
        /// The owner [default: git's user.name; left as a placeholder when git has none].
        #[arg(long)]
        owner: Option<String>,
        /// The Target Date, YYYY-MM-DD or DD-MM-YYYY [default: today].
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Runs the language server on standard input and output, for editors: the diagnostics of
    /// `check` as you type, quick fixes, hover and go to definition on Smithy shapes and links,
    /// document symbols. The workspace folder is checked with its plansmith.toml.
    Lsp,
    /// Prints a completion script for a shell.
    Completions { shell: clap_complete::Shell },
    /// Prints the manual page (roff).
    Man,
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

/// The options of a run with its config file and baseline, or the exit status after reporting a
/// config file that cannot be used (in `format`, on stdout, for `check`; as text on stderr
/// otherwise) or a baseline that cannot be read.
fn options(
    common: &CommonArgs,
    format: Option<Format>,
    baseline: Option<&std::path::Path>,
    stdin: Option<StdinInput>,
) -> Result<CheckOptions, i32> {
    let choice = match (&common.config.config, common.config.no_config) {
        (Some(file), _) => ConfigChoice::File(file),
        (None, true) => ConfigChoice::Disabled,
        (None, false) => ConfigChoice::Discover,
    };
    // With only standard input, the config is looked for from where its plan would be.
    let config_inputs = match &stdin {
        Some(stdin) if common.paths.is_empty() => std::slice::from_ref(&stdin.path),
        _ => common.paths.as_slice(),
    };
    let config = crate::tuning::config::resolve(config_inputs, choice).map_err(|error| {
        let checked = config_failure(*error);
        match format {
            Some(format) => {
                print(&render_check(&checked, format, Severity::Note, false, true));
                if format != Format::Human {
                    explain_trouble(&checked);
                }
            }
            None => eprint!(
                "{}",
                report::render_human(&checked, Severity::Note, stderr_colour(ColorChoice::Auto))
            ),
        }
        EXIT_TROUBLE
    })?;
    let mut model_paths = common.model_paths.clone();
    if let Some(config) = &config {
        model_paths.extend(config.model_paths.iter().cloned());
    }
    Ok(CheckOptions {
        paths: common.paths.clone(),
        model_paths,
        jobs: common.jobs,
        tuning: Tuning {
            config,
            baseline: baseline.map(read_baseline).transpose()?,
        },
        stdin,
        skip_smithy_validation: false,
        skip_diagram_parsing: false,
        release_diagrams: false,
    })
}

/// The inputs of `check` with `-` taken out, and the plan read from standard input in its place.
fn take_stdin(
    mut common: CommonArgs,
    name: Option<PathBuf>,
) -> Result<(CommonArgs, Option<StdinInput>), i32> {
    let dash = std::path::Path::new("-");
    if !common.paths.iter().any(|p| p == dash) {
        if name.is_some() {
            eprintln!("error: --stdin-filename names the plan read with `-`, and no path is `-`");
            return Err(EXIT_TROUBLE);
        }
        return Ok((common, None));
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        eprintln!("error: cannot read standard input: {e}");
        return Err(EXIT_TROUBLE);
    }
    let path = name.unwrap_or_else(|| PathBuf::from("stdin.md"));
    common.paths.retain(|p| p != dash);
    Ok((common, Some(StdinInput { path, bytes })))
}

/// `plansmith new`: writes the plan, refusing to replace a file.
fn new_plan(
    title: &str,
    out: Option<PathBuf>,
    owner: Option<String>,
    date: Option<&str>,
    config: &ConfigArgs,
) -> i32 {
    use crate::new_plan::{civil_date, fill_template, slug, NewPlan, BUILT_IN_TEMPLATE};
    let date = match date {
        Some(given) => match crate::plan::metadata::parse_date(given) {
            Ok(iso) => {
                let mut parts = iso.split('-').map(|p| p.parse::<u32>().unwrap_or(1));
                let (y, m, d) = (parts.next(), parts.next(), parts.next());
                (y.unwrap_or(1970) as i32, m.unwrap_or(1), d.unwrap_or(1))
            }
            Err(_) => {
                eprintln!("error: --date {given:?} is not a date (YYYY-MM-DD or DD-MM-YYYY)");
                return EXIT_TROUBLE;
            }
        },
        None => {
            let seconds = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            civil_date((seconds / 86_400) as i64)
        }
    };
    let owner = owner.or_else(git_user_name);
    let choice = match (&config.config, config.no_config) {
        (Some(file), _) => ConfigChoice::File(file),
        (None, true) => ConfigChoice::Disabled,
        (None, false) => ConfigChoice::Discover,
    };
    let here = [PathBuf::from(".")];
    let template = match crate::tuning::config::resolve(&here, choice) {
        Ok(config) => match config.and_then(|c| c.template) {
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => {
                    eprintln!("error: cannot read the template {}: {e}", path.display());
                    return EXIT_TROUBLE;
                }
            },
            None => BUILT_IN_TEMPLATE.to_string(),
        },
        Err(error) => {
            eprint!(
                "{}",
                report::render_human(
                    &config_failure(*error),
                    Severity::Note,
                    stderr_colour(ColorChoice::Auto)
                )
            );
            return EXIT_TROUBLE;
        }
    };
    let text = fill_template(
        &template,
        &NewPlan {
            title,
            owner: owner.as_deref(),
            date,
        },
    );
    let path = out.unwrap_or_else(|| PathBuf::from("plans").join(slug(title)).join("plan.md"));
    if path.exists() {
        eprintln!(
            "error: {} exists; plansmith new never replaces a file",
            path.display()
        );
        return EXIT_TROUBLE;
    }
    match crate::output::write_new_file(&path, text.as_bytes()) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            EXIT_TROUBLE
        }
    }
}

/// git's `user.name`, if git is installed and has one.
fn git_user_name() -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()?;
    let name = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !name.is_empty()).then_some(name)
}

/// A run that stopped at its config file: that file's one diagnostic, and exit status 2.
fn config_failure(error: ConfigError) -> Checked {
    let path = error.diagnostic.path.clone();
    Checked {
        files: vec![crate::plan::read_standalone(
            &path,
            &error.text,
            crate::plan::BlockKind::Other,
        )],
        input_errors: vec![crate::discover::InputError {
            path,
            message: error.diagnostic.message.clone(),
        }],
        diagnostics: vec![error.diagnostic],
        ..Checked::default()
    }
}

/// The `--fail-on` of a run: the command line's, else the config file's, else `error`.
fn fail_on(given: Option<FailOn>, options: &CheckOptions) -> FailOn {
    given
        .or_else(|| options.tuning.config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Error)
}

fn render_check(
    checked: &Checked,
    format: Format,
    min: Severity,
    color: bool,
    quiet: bool,
) -> String {
    match format {
        Format::Human => {
            let mut text = report::render_human(checked, min, color);
            if !quiet {
                text.push_str(&report::summary_line(checked));
                text.push('\n');
            }
            text
        }
        Format::Json => report::render_json(checked),
        Format::Sarif => report::render_sarif(checked, min),
        Format::Github => report::render_github(checked, min),
    }
}

/// Reads a baseline file; an unusable one stops the run.
fn read_baseline(path: &std::path::Path) -> Result<Baseline, i32> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read the baseline {}: {e}", path.display());
        EXIT_TROUBLE
    })?;
    Baseline::parse(&text).map_err(|e| {
        eprintln!("error: {} is not a plansmith baseline: {e}", path.display());
        EXIT_TROUBLE
    })
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`plansmith check | head`) is not an error worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Runs the parsed command and returns the exit status.
pub fn run(cli: Cli) -> i32 {
    // `--jobs` bounds every parallel step of the command, the report's rendering after the
    // check too, not only the stages that run on a pool of their own.
    if let Some(jobs) = cli.command.jobs() {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    match cli.command {
        Command::Build {
            common,
            out,
            fail_on,
            quiet,
            color,
            baseline,
            base,
            svg_hooks,
            watch,
        } => build(
            &common,
            &out,
            BuildReport {
                fail_on,
                quiet,
                color,
            },
            (baseline.as_deref(), base),
            svg_hooks,
            &watch,
        ),
        Command::Serve {
            common,
            out,
            port,
            poll,
            color,
        } => serve(&common, out, port, poll, color),
        Command::Check {
            common,
            format,
            fail_on,
            quiet,
            color,
            baseline,
            write_baseline,
            stdin_filename,
        } => check_command(
            common,
            CheckReport {
                format,
                fail_on,
                quiet,
                color,
            },
            baseline.as_deref(),
            write_baseline.as_deref(),
            stdin_filename,
        ),
        Command::Graph {
            common,
            format,
            order,
        } => graph_command(&common, format, order),
        Command::Ast { paths, jobs, color } => ast_command(paths, jobs, color),
        Command::Render {
            input,
            output,
            color,
        } => render(&input, output.as_deref(), color),
        Command::Diff {
            base,
            head,
            path,
            format,
            fail_on,
            jobs,
            model_paths,
            config,
        } => {
            let sides = DiffSides {
                path,
                jobs,
                model_paths,
                config,
            };
            diff(&base, head.as_deref(), &sides, format, fail_on)
        }
        Command::Explain { code } => explain(&code),
        Command::New {
            title,
            out,
            owner,
            date,
            config,
        } => new_plan(&title, out, owner, date.as_deref(), &config),
        Command::Lsp => match crate::lsp::run() {
            Ok(()) => EXIT_OK,
            Err(error) => {
                eprintln!("error: language server: {error}");
                EXIT_TROUBLE
            }
        },
        Command::Completions { shell } => completions(shell),
        Command::Man => man_page(),
        Command::Extract { common, out } => extract_command(&common, &out),
    }
}

/// How `check` reports: the format, which severity fails, whether to show only what fails,
/// and colour.
struct CheckReport {
    format: Format,
    fail_on: Option<FailOn>,
    quiet: bool,
    color: ColorChoice,
}

fn check_command(
    common: CommonArgs,
    report: CheckReport,
    baseline: Option<&std::path::Path>,
    write_baseline: Option<&std::path::Path>,
    stdin_filename: Option<PathBuf>,
) -> i32 {
    let CheckReport {
        format,
        fail_on: given_fail_on,
        quiet,
        color,
    } = report;
    let (common, stdin) = match take_stdin(common, stdin_filename) {
        Ok(taken) => taken,
        Err(status) => return status,
    };
    let options = match options(&common, Some(format), baseline, stdin) {
        // `check` draws nothing: the diagrams' models go once they are linted.
        Ok(options) => CheckOptions {
            release_diagrams: true,
            ..options
        },
        Err(status) => return status,
    };
    let fail_on = fail_on(given_fail_on, &options);
    let mut checked = check(&options);
    if let Some(path) = write_baseline {
        explain_trouble(&checked);
        return write_baseline_file(&checked, path);
    }
    let status = exit_status(&checked, fail_on);
    let min = if quiet {
        threshold(fail_on).unwrap_or(Severity::Error)
    } else {
        Severity::Note
    };
    // What is not shown is in no format, the JSON report's summary included.
    checked.diagnostics.retain(|d| d.severity >= min);
    if format != Format::Human {
        explain_trouble(&checked);
    }
    print(&render_check(
        &checked,
        format,
        min,
        use_color(color),
        quiet,
    ));
    // The process ends right after this; freeing a large model piece by piece would
    // only cost time.
    std::mem::forget(checked);
    status
}

/// `graph`: the dependency graph in the format asked for, or the implementation order; a
/// cycle is a finding.
fn graph_command(common: &CommonArgs, format: GraphFormat, order: bool) -> i32 {
    let checked = match options(common, None, None, None) {
        Ok(options) => check(&options),
        Err(status) => return status,
    };
    let text = match (order, format) {
        (true, GraphFormat::Json) => {
            let mut text = serde_json::to_string_pretty(&crate::deps::waves(&checked.graph))
                .unwrap_or_default();
            text.push('\n');
            text
        }
        (true, _) => crate::deps::render_order(&checked.graph),
        (false, GraphFormat::Dot) => crate::deps::render_dot(&checked.graph),
        (false, GraphFormat::Json) => crate::deps::render_json(&checked.graph),
        (false, GraphFormat::Mermaid) => crate::deps::render_mermaid(&checked.graph),
        (false, GraphFormat::Svg) => {
            crate::render::plans::render_plan_graph(
                &checked.graph,
                "plans-",
                crate::render::Hooks::Written,
                &Default::default(),
            )
            .svg
        }
    };
    print(&text);
    explain_trouble(&checked);
    for cycle in &checked.graph.cycles {
        let mut shown = cycle.clone();
        shown.extend(cycle.first().cloned());
        eprintln!("error: dependency cycle: {}", shown.join(" → "));
    }
    if !checked.input_errors.is_empty() {
        EXIT_TROUBLE
    } else if checked.graph.cycles.is_empty() {
        EXIT_OK
    } else {
        eprintln!("(`plansmith check` shows where each dependency of a cycle is declared)");
        EXIT_FINDINGS
    }
}

/// `ast`: the merged model's JSON AST on stdout, its own findings on stderr.
fn ast_command(paths: Vec<PathBuf>, jobs: usize, color: ColorChoice) -> i32 {
    let mut checked = check(&CheckOptions {
        paths,
        jobs,
        ..CheckOptions::default()
    });
    // The model's own findings; plan-level ones belong to `check`.
    checked.diagnostics.retain(|d| {
        !["PLAN", "DEP", "MMD"]
            .iter()
            .any(|p| d.code.as_str().starts_with(p))
    });
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
    let _ = serde_json::to_writer_pretty(&mut out, &checked.model.json_ast())
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    drop(out);
    explain_trouble(&checked);
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

fn completions(shell: clap_complete::Shell) -> i32 {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "plansmith", &mut out);
    print(&String::from_utf8_lossy(&out));
    EXIT_OK
}

fn man_page() -> i32 {
    let mut out = Vec::new();
    match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
        Ok(()) => {
            print(&String::from_utf8_lossy(&out));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write the manual page: {e}");
            EXIT_TROUBLE
        }
    }
}

/// `extract`: every block to its own file, with an index.
fn extract_command(common: &CommonArgs, out: &std::path::Path) -> i32 {
    let checked = match options(common, None, None, None) {
        Ok(options) => check(&options),
        Err(status) => return status,
    };
    explain_trouble(&checked);
    match crate::extract::extract(&checked, out) {
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

/// Says on stderr why the exit status will be 2, for outputs that are data (a graph, a model,
/// a JSON or SARIF report) or that filter the reading errors out: never a silent exit.
fn explain_trouble(checked: &Checked) {
    for error in &checked.input_errors {
        eprintln!("error: {}: {}", error.path, error.message);
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

/// Records the findings of a run in a baseline file, instead of reporting them.
fn write_baseline_file(checked: &Checked, path: &std::path::Path) -> i32 {
    if let Err(e) = crate::output::write_atomic(
        path,
        crate::tuning::baseline::render(&checked.diagnostics).as_bytes(),
    ) {
        eprintln!("error: cannot write the baseline {}: {e}", path.display());
        return EXIT_TROUBLE;
    }
    eprintln!(
        "recorded {} findings in {}; `plansmith check --baseline {}` reports only new ones",
        checked.diagnostics.len(),
        path.display(),
        path.display()
    );
    if checked.input_errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_TROUBLE
    }
}

/// `plansmith explain CODE`: the code's section of docs/diagnostics.md.
/// What both sides of a diff are checked with.
struct DiffSides {
    path: PathBuf,
    jobs: usize,
    model_paths: Vec<PathBuf>,
    config: ConfigArgs,
}

fn diff(
    base: &str,
    head: Option<&str>,
    sides: &DiffSides,
    format: DiffFormat,
    fail_on: DiffFailOn,
) -> i32 {
    use crate::diff::{revision, FailOn as DiffFail, Report};
    let resolved = revision::resolve(base, &sides.path).and_then(|base| {
        let head = match head {
            Some(head) => revision::resolve(head, &sides.path)?,
            None => revision::working_tree(&sides.path),
        };
        Ok((base, head))
    });
    let (base, head) = match resolved {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_TROUBLE;
        }
    };
    let mut side_options = Vec::new();
    for side in [&base, &head] {
        let common = CommonArgs {
            paths: side.paths.clone(),
            jobs: sides.jobs,
            model_paths: sides.model_paths.clone(),
            config: ConfigArgs {
                config: sides.config.config.clone(),
                no_config: sides.config.no_config,
            },
        };
        let Ok(mut options) = options(&common, None, None, None) else {
            return EXIT_TROUBLE;
        };
        options.skip_smithy_validation = true;
        options.skip_diagram_parsing = true;
        side_options.push(options);
    }
    // The two sides are independent: read them at once.
    let (old_checked, new_checked) =
        rayon::join(|| check(&side_options[0]), || check(&side_options[1]));
    let mut runs = Vec::new();
    for (side, checked) in [(&base, old_checked), (&head, new_checked)] {
        if !checked.input_errors.is_empty() {
            for error in &checked.input_errors {
                eprintln!("error: {} ({}): {}", side.name, error.path, error.message);
            }
            return EXIT_TROUBLE;
        }
        let errors = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if errors > 0 {
            eprintln!(
                "note: {}: {errors} error{} found while reading it (`plansmith check` checks it fully); the diff compares what could be read",
                side.name,
                if errors == 1 { "" } else { "s" }
            );
        }
        let folder = crate::paths::absolute(&side.paths[0]);
        let prefix = checked.root.identity(&folder).unwrap_or_default();
        runs.push((checked, prefix));
    }
    let (new, old) = (&runs[1], &runs[0]);
    let report = Report::new(
        base.name.clone(),
        head.name.clone(),
        (&old.0, &old.1),
        (&new.0, &new.1),
    );
    let text = match format {
        DiffFormat::Human => report::render_diff_human(&report),
        DiffFormat::Json => report::render_diff_json(&report),
        DiffFormat::Markdown => report::render_diff_markdown(&report),
        DiffFormat::Sarif => report::render_diff_sarif(&report),
        DiffFormat::Github => report::render_diff_github(&report),
    };
    print(&text);
    // The process ends next: freeing two whole checked runs piece by piece would only cost
    // time (a tenth of a 1,000-plan diff).
    std::mem::forget(runs);
    let rule = match fail_on {
        DiffFailOn::Breaking => DiffFail::Breaking,
        DiffFailOn::Warning => DiffFail::Warning,
        DiffFailOn::Never => DiffFail::Never,
    };
    if report.fails(rule) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn explain(code: &str) -> i32 {
    let known = crate::docs::lookup(code);
    match known.and_then(|c| Some((c, crate::docs::title(c)?, crate::docs::section(c)?))) {
        Some((known, title, body)) => {
            print(&format!(
                "{known}: {title}\n\n{body}\n\n{}\n",
                crate::docs::help_uri(known)
            ));
            EXIT_OK
        }
        None => {
            let suggestions = crate::docs::closest_codes(code);
            let hint = match suggestions.as_slice() {
                [] => " (the codes are listed in docs/diagnostics.md)".to_string(),
                codes => format!("; did you mean {}?", codes.join(", ")),
            };
            eprintln!("error: `{code}` is not a plansmith diagnostic code{hint}");
            EXIT_TROUBLE
        }
    }
}

/// How `build` and its rebuilds report.
struct BuildReport {
    fail_on: Option<FailOn>,
    quiet: bool,
    color: ColorChoice,
}

fn build(
    common: &CommonArgs,
    out: &std::path::Path,
    report: BuildReport,
    (baseline, base): (Option<&std::path::Path>, Option<String>),
    svg_hooks: bool,
    watch: &WatchArgs,
) -> i32 {
    let check = match options(common, None, baseline, None) {
        Ok(options) => options,
        Err(status) => return status,
    };
    let fail_on = fail_on(report.fail_on, &check);
    let options = crate::build::BuildOptions {
        check,
        out: out.to_path_buf(),
        base,
        svg_hooks,
    };
    if watch.watch {
        let mut after_build = |result: std::io::Result<crate::build::BuildResult>| {
            report_build(&result, out, fail_on, report.quiet, report.color);
        };
        let watched =
            crate::serve::watch::watch(&options, watch_mode(watch.poll), &mut after_build);
        return match watched {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("error: cannot watch the inputs: {e}");
                EXIT_TROUBLE
            }
        };
    }
    let bar = progress_bar();
    let progress = |stage: &str, done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_message(stage.to_string());
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let result = crate::build::build(&options, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let status = report_build(&result, out, fail_on, report.quiet, report.color);
    // As in `check`: the process ends here, and freeing the plans and the model only costs time.
    std::mem::forget(result);
    status
}

fn watch_mode(poll: bool) -> crate::serve::WatchMode {
    if poll {
        crate::serve::WatchMode::Poll
    } else {
        crate::serve::WatchMode::Native
    }
}

/// Prints a build's findings and summary on stderr; returns its exit status.
fn report_build(
    result: &std::io::Result<crate::build::BuildResult>,
    out: &std::path::Path,
    fail_on: FailOn,
    quiet: bool,
    color: ColorChoice,
) -> i32 {
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
                "{}; wrote {} of {} artifacts to {} ({} unchanged, {} removed, {} drawings made, {} pages made, the others reused)",
                report::summary_line(&result.checked),
                result.changed,
                result.artifacts,
                out.display(),
                result.artifacts - result.changed,
                result.removed,
                result.drawn,
                result.pages
            );
            exit_status(&result.checked, fail_on)
        }
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", out.display());
            EXIT_TROUBLE
        }
    }
}

fn serve(
    common: &CommonArgs,
    out: Option<PathBuf>,
    port: u16,
    poll: bool,
    color: ColorChoice,
) -> i32 {
    let check = match options(common, None, None, None) {
        Ok(options) => options,
        Err(status) => return status,
    };
    let fail_on = fail_on(None, &check);
    let out = out.unwrap_or_else(|| default_serve_folder(&check.paths));
    let options = crate::build::BuildOptions {
        check,
        out: out.clone(),
        base: None,
        svg_hooks: false,
    };
    let mut ready = |address: std::net::SocketAddr| {
        eprintln!(
            "serving http://{address}/ (site in {}); press Ctrl-C to stop",
            out.display()
        );
    };
    let mut after_build = |result: &std::io::Result<crate::build::BuildResult>| {
        report_build(result, &out, fail_on, false, color);
    };
    match crate::serve::serve(
        &options,
        port,
        watch_mode(poll),
        &mut ready,
        &mut after_build,
    ) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot serve the site: {e}");
            EXIT_TROUBLE
        }
    }
}

/// Where `serve` builds when no `--out` is given: one folder per set of inputs under the
/// temporary folder, so that a second `serve` of the same plans reuses the first one's drawings.
fn default_serve_folder(paths: &[PathBuf]) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = siphasher::sip::SipHasher13::new();
    for path in paths {
        crate::paths::absolute(path).hash(&mut hasher);
    }
    std::env::temp_dir().join(format!("plansmith-serve-{:016x}", hasher.finish()))
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
                source.text.as_str(),
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
