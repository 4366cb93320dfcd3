//! Kubernetes resource quantities (`100m`, `1Gi`, `2000m`) in the canonical form the API machinery
//! writes them back in: `2000m` becomes `2`, `1024Mi` becomes `1Gi`, `0.5` becomes `500m`.
//!
//! Only what injection needs: parse a quantity string and print it canonically, the way
//! `resource.Quantity.String()` does after a round trip through Go types.

use std::fmt::Write as _;

/// How the quantity was written, which decides how it is printed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `Ki`, `Mi`, ... (powers of 1024)
    BinarySi,
    /// `m`, `k`, `M`, ... or no suffix (powers of 1000)
    DecimalSi,
    /// `1e3`, `2E-3`
    DecimalExponent,
}

/// A parsed quantity: `mantissa * 10^exponent`, plus the format it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    mantissa: i128,
    exponent: i32,
    format: Format,
}

/// Why a string is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)]
pub struct QuantityError;

const BINARY: [(&str, u32); 6] = [
    ("Ki", 10),
    ("Mi", 20),
    ("Gi", 30),
    ("Ti", 40),
    ("Pi", 50),
    ("Ei", 60),
];
const DECIMAL: [(&str, i32); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

impl Quantity {
    /// Parses a quantity such as `100m`, `1.5Gi`, `2e3` or `4`.
    pub fn parse(input: &str) -> Result<Self, QuantityError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(QuantityError);
        }
        let (negative, rest) = match s.as_bytes()[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(QuantityError);
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        let digits = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 36 {
            return Err(QuantityError);
        }
        let mut mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| QuantityError)?
        };
        let mut exponent = -(frac_part.len() as i32);
        let format;
        if let Some((_, bits)) = BINARY.iter().find(|(name, _)| *name == suffix) {
            format = Format::BinarySi;
            mantissa = mantissa.checked_mul(1i128 << bits).ok_or(QuantityError)?;
        } else if let Some((_, exp)) = DECIMAL.iter().find(|(name, _)| *name == suffix) {
            format = Format::DecimalSi;
            exponent += exp;
        } else if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
            format = Format::DecimalExponent;
            exponent += exp.parse::<i32>().map_err(|_| QuantityError)?;
        } else {
            return Err(QuantityError);
        }
        if negative {
            mantissa = -mantissa;
        }
        let mut q = Quantity {
            mantissa,
            exponent,
            format,
        };
        q.normalize();
        Ok(q)
    }

    /// Strips trailing zeros into the exponent and rounds up to nano precision, as Kubernetes does.
    fn normalize(&mut self) {
        if self.mantissa == 0 {
            self.exponent = 0;
            return;
        }
        while self.exponent < -9 {
            // round away from zero at nano precision
            let rem = self.mantissa % 10;
            self.mantissa /= 10;
            if rem != 0 {
                self.mantissa += self.mantissa.signum().max(if rem > 0 { 1 } else { -1 });
            }
            self.exponent += 1;
        }
        while self.mantissa != 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exponent += 1;
        }
    }

    /// The integer value when the quantity is a whole number that fits.
    fn as_integer(&self) -> Option<i128> {
        if self.exponent < 0 {
            return None;
        }
        let mut v = self.mantissa;
        for _ in 0..self.exponent {
            v = v.checked_mul(10)?;
        }
        Some(v)
    }

    /// The canonical text, e.g. `2` for `2000m` and `1Gi` for `1024Mi`.
    pub fn canonical(&self) -> String {
        if self.mantissa == 0 {
            return "0".to_string();
        }
        if self.format == Format::BinarySi
            && let Some(value) = self.as_integer()
            && value.abs() >= 1024
        {
            let mut bits = 0u32;
            while bits < 60 && value % (1i128 << (bits + 10)) == 0 {
                bits += 10;
            }
            let suffix = BINARY
                .iter()
                .find(|(_, b)| *b == bits)
                .map(|(s, _)| *s)
                .unwrap_or("");
            return format!("{}{}", value >> bits, suffix);
        }
        // Decimal: bring the exponent down to a multiple of three.
        let mut mantissa = self.mantissa;
        let mut exponent = self.exponent;
        while exponent.rem_euclid(3) != 0 {
            mantissa *= 10;
            exponent -= 1;
        }
        let mut out = mantissa.to_string();
        if self.format == Format::DecimalExponent {
            if exponent != 0 {
                let _ = write!(out, "e{exponent}");
            }
            return out;
        }
        match DECIMAL.iter().find(|(_, e)| *e == exponent) {
            Some((suffix, _)) => out.push_str(suffix),
            None => {
                let _ = write!(out, "e{exponent}");
            }
        }
        out
    }
}

/// Canonicalizes a quantity string, or reports why it is not one.
pub fn canonicalize(input: &str) -> Result<String, QuantityError> {
    Quantity::parse(input).map(|q| q.canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_match_kubernetes() {
        for (input, want) in [
            ("2000m", "2"),
            ("100m", "100m"),
            ("1024Mi", "1Gi"),
            ("128Mi", "128Mi"),
            ("4000m", "4"),
            ("3000m", "3"),
            ("123m", "123m"),
            ("0.5", "500m"),
            ("1.5", "1500m"),
            ("1000", "1k"),
            ("1200", "1200"),
            ("2", "2"),
            ("1Gi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("100", "100"),
            ("0", "0"),
            ("1e3", "1e3"),
            ("1", "1"),
            ("500Ki", "500Ki"),
            ("1k", "1k"),
        ] {
            assert_eq!(canonicalize(input).unwrap(), want, "{input}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "abc", "1x", "1..2", "m"] {
            assert!(canonicalize(bad).is_err(), "{bad}");
        }
    }
}
