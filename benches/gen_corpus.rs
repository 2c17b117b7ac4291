//! Writes a generated plan folder for whole-run timings of the CLI:
//! `cargo run --release --example gen_corpus -- OUT_DIR [N]` (N defaults to 1000).

#[path = "support/corpus.rs"]
mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: gen_corpus OUT_DIR [N]");
        std::process::exit(2);
    };
    let n = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    match corpus::generate(std::path::Path::new(&out), n) {
        Ok(paths) => eprintln!("wrote {} plans to {out}", paths.len()),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
