//! Operating system and architecture of a release archive, mapped the way Istio's own
//! `downloadIstio` script maps `uname`, and the archive names Istio has used over time.

use std::fmt;
use std::str::FromStr;

use super::version::Version;

/// Where the binaries in the archive run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Linux,
    Osx,
}

/// CPU architecture, named as in Istio's archive names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    Amd64,
    Arm64,
    Armv7,
}

/// An OS or architecture name that rigger cannot map to an Istio release.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported {what} `{value}`: Istio publishes {supported}")]
pub struct PlatformError {
    pub what: &'static str,
    pub value: String,
    pub supported: &'static str,
}

impl Os {
    /// The OS rigger runs on. Like Istio's script, anything that is not macOS gets the Linux build.
    pub fn current() -> Self {
        Self::from_uname(std::env::consts::OS)
    }

    /// Maps `uname -s` output (or Rust's `std::env::consts::OS`): `Darwin`/`macos` → osx, else linux.
    pub fn from_uname(name: &str) -> Self {
        if name.eq_ignore_ascii_case("darwin") || name.eq_ignore_ascii_case("macos") {
            Self::Osx
        } else {
            Self::Linux
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Linux => "linux",
            Self::Osx => "osx",
        }
    }
}

impl FromStr for Os {
    type Err = PlatformError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "linux" => Ok(Self::Linux),
            "osx" | "darwin" | "macos" => Ok(Self::Osx),
            _ => Err(PlatformError {
                what: "OS",
                value: s.to_string(),
                supported: "linux and osx",
            }),
        }
    }
}

impl fmt::Display for Os {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Arch {
    /// The architecture rigger runs on.
    pub fn current() -> Result<Self, PlatformError> {
        // Rust calls 32-bit ARM `arm`; Istio only builds armv7 for it.
        match std::env::consts::ARCH {
            "arm" => Ok(Self::Armv7),
            other => Self::from_machine(other),
        }
    }

    /// Maps `uname -m` output as Istio's script does: `x86_64|amd64` → amd64,
    /// `armv8*|aarch64*|arm64` → arm64, `armv*` → armv7.
    pub fn from_machine(machine: &str) -> Result<Self, PlatformError> {
        let m = machine.to_ascii_lowercase();
        if m == "x86_64" || m == "amd64" {
            Ok(Self::Amd64)
        } else if m.starts_with("armv8") || m.starts_with("aarch64") || m == "arm64" {
            Ok(Self::Arm64)
        } else if m.starts_with("armv") {
            Ok(Self::Armv7)
        } else {
            Err(PlatformError {
                what: "architecture",
                value: machine.to_string(),
                supported: "amd64, arm64 and armv7",
            })
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Amd64 => "amd64",
            Self::Arm64 => "arm64",
            Self::Armv7 => "armv7",
        }
    }
}

impl FromStr for Arch {
    type Err = PlatformError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_machine(s)
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The release archive's file name for this version and platform.
///
/// Istio added the architecture to Linux archive names in 1.6, and published separate macOS arm64
/// archives from 1.10; macOS amd64 archives never carry an architecture.
pub fn archive_name(version: &Version, os: Os, arch: Arch) -> String {
    let plain = match os {
        Os::Linux => version.minor_below(1, 6),
        Os::Osx => version.minor_below(1, 10) || arch != Arch::Arm64,
    };
    if plain {
        format!("istio-{version}-{os}.tar.gz")
    } else {
        format!("istio-{version}-{os}-{arch}.tar.gz")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn maps_uname_like_the_download_script() {
        assert_eq!(Os::from_uname("Darwin"), Os::Osx);
        assert_eq!(Os::from_uname("Linux"), Os::Linux);
        assert_eq!(Os::from_uname("FreeBSD"), Os::Linux);
        for (m, a) in [
            ("x86_64", Arch::Amd64),
            ("amd64", Arch::Amd64),
            ("aarch64", Arch::Arm64),
            ("aarch64_be", Arch::Arm64),
            ("arm64", Arch::Arm64),
            ("armv8l", Arch::Arm64),
            ("armv7l", Arch::Armv7),
            ("armv6l", Arch::Armv7),
        ] {
            assert_eq!(Arch::from_machine(m), Ok(a), "{m}");
        }
        let err = Arch::from_machine("riscv64").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported architecture `riscv64`: Istio publishes amd64, arm64 and armv7"
        );
        assert!("windows".parse::<Os>().is_err());
        assert_eq!("osx".parse::<Os>(), Ok(Os::Osx));
    }

    #[test]
    fn current_platform_is_supported() {
        assert!(Arch::current().is_ok());
        let _ = Os::current();
    }

    #[test]
    fn archive_names_follow_istio_history() {
        let cases = [
            (
                "1.23.6",
                Os::Linux,
                Arch::Amd64,
                "istio-1.23.6-linux-amd64.tar.gz",
            ),
            (
                "1.23.6",
                Os::Linux,
                Arch::Arm64,
                "istio-1.23.6-linux-arm64.tar.gz",
            ),
            (
                "1.23.6",
                Os::Linux,
                Arch::Armv7,
                "istio-1.23.6-linux-armv7.tar.gz",
            ),
            (
                "1.6.0",
                Os::Linux,
                Arch::Amd64,
                "istio-1.6.0-linux-amd64.tar.gz",
            ),
            (
                "1.6.0-beta.1",
                Os::Linux,
                Arch::Amd64,
                "istio-1.6.0-beta.1-linux-amd64.tar.gz",
            ),
            (
                "1.5.10",
                Os::Linux,
                Arch::Amd64,
                "istio-1.5.10-linux.tar.gz",
            ),
            (
                "1.5.10",
                Os::Linux,
                Arch::Arm64,
                "istio-1.5.10-linux.tar.gz",
            ),
            ("1.23.6", Os::Osx, Arch::Amd64, "istio-1.23.6-osx.tar.gz"),
            (
                "1.23.6",
                Os::Osx,
                Arch::Arm64,
                "istio-1.23.6-osx-arm64.tar.gz",
            ),
            (
                "1.10.0",
                Os::Osx,
                Arch::Arm64,
                "istio-1.10.0-osx-arm64.tar.gz",
            ),
            ("1.9.9", Os::Osx, Arch::Arm64, "istio-1.9.9-osx.tar.gz"),
            (
                "2.0.0",
                Os::Linux,
                Arch::Amd64,
                "istio-2.0.0-linux-amd64.tar.gz",
            ),
        ];
        for (ver, os, arch, want) in cases {
            assert_eq!(archive_name(&v(ver), os, arch), want, "{ver} {os} {arch}");
        }
    }
}
