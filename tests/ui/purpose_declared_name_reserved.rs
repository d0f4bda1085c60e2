privacy::purpose! {
    /// A purpose of one's own that took the name of the built-in `Diagnostics`.
    pub struct CrashReports {
        name: "diagnostics",
        description: "Sending crash reports",
    }
}

fn main() {}
