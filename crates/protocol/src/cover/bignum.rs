//! The little unsigned big-integer arithmetic the cover encoding needs: division by a
//! small number, multiplication by a small number and a small multiple added. Nothing
//! here is secret-dependent in its memory access pattern beyond the lengths, which are
//! public (they follow from the message length).

/// An unsigned integer of any size, as 64-bit limbs, least significant first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BigUint {
    limbs: Vec<u64>,
}

impl BigUint {
    /// The number 1.
    pub(crate) fn one() -> Self {
        BigUint { limbs: vec![1] }
    }

    /// The number 0.
    pub(crate) fn zero() -> Self {
        BigUint { limbs: Vec::new() }
    }

    /// The integer whose little-endian bytes are `bytes`.
    pub(crate) fn from_le_bytes(bytes: &[u8]) -> Self {
        let mut limbs = Vec::with_capacity(bytes.len().div_ceil(8));
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            limbs.push(u64::from_le_bytes(word));
        }
        let mut n = BigUint { limbs };
        n.trim();
        n
    }

    /// The low `len` bytes, little-endian; bytes above the number's size are zero.
    pub(crate) fn to_le_bytes(&self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 8);
        for limb in &self.limbs {
            out.extend_from_slice(&limb.to_le_bytes());
            if out.len() >= len {
                break;
            }
        }
        out.resize(len, 0);
        out
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    /// Number of significant bits (0 for zero).
    pub(crate) fn bit_len(&self) -> usize {
        match self.limbs.last() {
            None => 0,
            Some(top) => self.limbs.len() * 64 - top.leading_zeros() as usize,
        }
    }

    /// Divides in place by `divisor` (not zero) and returns the remainder.
    pub(crate) fn div_rem_small(&mut self, divisor: u32) -> u32 {
        let d = u128::from(divisor.max(1));
        let mut rem: u128 = 0;
        for limb in self.limbs.iter_mut().rev() {
            let cur = (rem << 64) | u128::from(*limb);
            *limb = (cur / d) as u64;
            rem = cur % d;
        }
        self.trim();
        rem as u32
    }

    /// Multiplies in place by `factor`.
    pub(crate) fn mul_small(&mut self, factor: u32) {
        let f = u128::from(factor);
        let mut carry: u128 = 0;
        for limb in self.limbs.iter_mut() {
            let cur = u128::from(*limb) * f + carry;
            *limb = cur as u64;
            carry = cur >> 64;
        }
        if carry > 0 {
            self.limbs.push(carry as u64);
        }
        self.trim();
    }

    /// Adds `other * factor` in place.
    pub(crate) fn add_mul_small(&mut self, other: &BigUint, factor: u32) {
        if factor == 0 {
            return;
        }
        if self.limbs.len() < other.limbs.len() {
            self.limbs.resize(other.limbs.len(), 0);
        }
        let f = u128::from(factor);
        let mut carry: u128 = 0;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let add = other.limbs.get(i).map_or(0, |&o| u128::from(o) * f);
            if add == 0 && carry == 0 && i >= other.limbs.len() {
                break;
            }
            let cur = u128::from(*limb) + add + carry;
            *limb = cur as u64;
            carry = cur >> 64;
        }
        if carry > 0 {
            self.limbs.push(carry as u64);
        }
        self.trim();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_radix_round_trip() {
        let bytes: Vec<u8> = (0..100u32).map(|i| (i * 37 + 11) as u8).collect();
        let radices = [7u32, 256, 3, 65_535, 2, 1000, 13];
        let mut n = BigUint::from_le_bytes(&bytes);
        let mut digits = Vec::new();
        let mut product = BigUint::one();
        let mut i = 0;
        while product.bit_len() <= bytes.len() * 8 {
            let r = radices[i % radices.len()];
            digits.push((n.div_rem_small(r), r));
            product.mul_small(r);
            i += 1;
        }
        assert_eq!(n, BigUint::zero());
        let mut back = BigUint::zero();
        let mut place = BigUint::one();
        for (d, r) in digits {
            back.add_mul_small(&place, d);
            place.mul_small(r);
        }
        assert_eq!(back.to_le_bytes(bytes.len()), bytes);
        assert_eq!(BigUint::from_le_bytes(&[0, 0, 0]).bit_len(), 0);
        assert_eq!(BigUint::from_le_bytes(&[0, 1]).bit_len(), 9);
        // Control: a wrong digit changes the result.
        let mut other = BigUint::from_le_bytes(&bytes);
        other.add_mul_small(&BigUint::one(), 1);
        assert_ne!(other.to_le_bytes(bytes.len()), bytes);
    }
}
