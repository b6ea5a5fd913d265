// sqlx::migrate! embeds the migration files at compile time; without this a new
// migration would be silently left out of an incremental build.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
