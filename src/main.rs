// Large models allocate many small pieces; mimalloc serves them faster than the system
// allocator (measured on `plansmith ast` over the AWS models).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(plansmith::cli::main());
}
