fn main() {
    std::process::exit(plansmith::cli::main());
}
