//! `ip_prefix`: the network, not the host.

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::Labels;
use crate::strategy::IpPrefixStrategy;

/// The `ip_prefix` strategy: `<pii:ip 203.0.113.0/24>` for IPv4, `/48` for IPv6 (an
/// IPv4-mapped IPv6 address is treated as the IPv4 address it maps).
pub struct IpPrefix {
    labels: Labels,
    network: Option<(IpAddr, u8)>,
}

impl IpPrefix {
    /// Shows the network of `value`.
    pub fn new<T: IpPrefixStrategy + ?Sized>(labels: Labels, value: &T) -> Self {
        IpPrefix {
            labels,
            network: value.ip_addr().map(network),
        }
    }
}

/// The network an address belongs to, and its prefix length.
fn network(ip: IpAddr) -> (IpAddr, u8) {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            (IpAddr::V4(Ipv4Addr::new(a, b, c, 0)), 24)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return network(IpAddr::V4(v4));
            }
            let [a, b, c, ..] = v6.segments();
            (IpAddr::V6(Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0)), 48)
        }
    }
}

impl fmt::Debug for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.network {
            Some((net, len)) => {
                f.write_str(self.labels.open)?;
                write!(f, "{net}/{len}>")
            }
            None => self.labels.hide(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        let net = |s: &str| {
            let (ip, len) = network(s.parse().unwrap());
            format!("{ip}/{len}")
        };
        assert_eq!(net("203.0.113.77"), "203.0.113.0/24");
        assert_eq!(
            net("2001:db8:85a3:8d3:1319:8a2e:370:7348"),
            "2001:db8:85a3::/48"
        );
        assert_eq!(net("::ffff:198.51.100.9"), "198.51.100.0/24");
    }
}
