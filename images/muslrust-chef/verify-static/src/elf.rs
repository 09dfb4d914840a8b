//! Just enough of an ELF reader to decide "static or not": header, program headers, section
//! headers, the dynamic array and the version-needs table. Every read is bounds-checked, so a
//! truncated or hostile file gives an error message, never a panic. Mirrors scripts/src/elf.

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const SHT_NULL: u32 = 0;
const SHT_STRTAB: u32 = 3;
const SHT_DYNAMIC: u32 = 6;
const SHT_NOBITS: u32 = 8;
const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;
const DT_NEEDED: u64 = 1;
const DT_STRTAB: u64 = 5;
const DT_STRSZ: u64 = 10;
const DT_SONAME: u64 = 14;
const DT_FLAGS_1: u64 = 0x6fff_fffb;
const DT_VERNEED: u64 = 0x6fff_fffe;
const DT_VERNEEDNUM: u64 = 0x6fff_ffff;
const DF_1_PIE: u64 = 0x0800_0000;

/// What the verdict needs to know about one file.
#[derive(Debug, Default)]
pub struct Elf {
    pub etype: u16,
    pub machine: u16,
    pub interpreter: Option<String>,
    pub needed: Vec<String>,
    pub is_pie: bool,
    /// Every version name in the version-needs table (GLIBC_2.34, …).
    pub version_needs: Vec<String>,
}

#[derive(Clone, Copy)]
struct Seg { ptype: u32, offset: u64, vaddr: u64, filesz: u64 }
#[derive(Clone, Copy)]
struct Sec { stype: u32, offset: u64, size: u64, link: u32, info: u32 }

struct Reader<'a> { b: &'a [u8], le: bool, is64: bool }

impl<'a> Reader<'a> {
    fn range(&self, at: u64, n: u64, what: &str) -> Result<(usize, usize), String> {
        match at.checked_add(n) {
            Some(end) if end <= self.b.len() as u64 => Ok((at as usize, end as usize)),
            _ => Err(format!("truncated ELF: {what} (offset {at:#x}, {n} bytes) is outside the file (size {})", self.b.len())),
        }
    }
    fn bytes<const N: usize>(&self, at: u64) -> Result<[u8; N], String> {
        let (s, e) = self.range(at, N as u64, "a field")?;
        let mut out = [0u8; N];
        out.copy_from_slice(&self.b[s..e]);
        if !self.le { out.reverse(); }
        Ok(out)
    }
    fn u16(&self, at: u64) -> Result<u16, String> { Ok(u16::from_le_bytes(self.bytes::<2>(at)?)) }
    fn u32(&self, at: u64) -> Result<u32, String> { Ok(u32::from_le_bytes(self.bytes::<4>(at)?)) }
    fn word(&self, at: u64) -> Result<u64, String> {
        if self.is64 { Ok(u64::from_le_bytes(self.bytes::<8>(at)?)) } else { Ok(u64::from(self.u32(at)?)) }
    }
    fn w(&self) -> u64 { if self.is64 { 8 } else { 4 } }
    /// NUL-terminated string at `at`, which must end before `limit`.
    fn cstr(&self, at: u64, limit: u64, what: &str) -> Result<String, String> {
        let end = limit.min(self.b.len() as u64);
        if at >= end { return Err(format!("malformed ELF: {what} string offset {at:#x} is outside its string table")); }
        let slice = &self.b[at as usize..end as usize];
        match slice.iter().position(|&c| c == 0) {
            Some(n) => Ok(String::from_utf8_lossy(&slice[..n]).into_owned()),
            None => Err(format!("malformed ELF: {what} string at {at:#x} is not NUL-terminated")),
        }
    }
}

/// Parses the parts of an ELF file the static check reads; Err is a one-line reason.
pub fn parse(b: &[u8]) -> Result<Elf, String> {
    if b.is_empty() { return Err("not an ELF file (empty file)".into()); }
    let head = &b[..b.len().min(4)];
    if head != &b"\x7fELF"[..head.len()] || head.len() < 4 {
        if head == &b"\x7fELF"[..head.len()] {
            return Err(format!("truncated ELF: file is only {} bytes, shorter than the ELF identification", b.len()));
        }
        let hex: Vec<String> = head.iter().map(|x| format!("{x:02x}")).collect();
        return Err(format!("not an ELF file (bad magic {})", hex.join(" ")));
    }
    if b.len() < 16 { return Err(format!("truncated ELF: file is only {} bytes, shorter than the ELF identification", b.len())); }
    let is64 = match b[4] { 1 => false, 2 => true, c => return Err(format!("unsupported ELF class {c}")) };
    let le = match b[5] { 1 => true, 2 => false, d => return Err(format!("unsupported ELF data encoding {d}")) };
    if b[6] != 1 { return Err(format!("unsupported ELF version {}", b[6])); }
    let r = Reader { b, le, is64 };
    let w = r.w();
    r.range(0, if is64 { 64 } else { 52 }, "ELF header")?;
    let etype = r.u16(16)?;
    let machine = r.u16(18)?;
    let entry = r.word(24)?;
    let phoff = r.word(24 + w)?;
    let shoff = r.word(24 + 2 * w)?;
    let at = 24 + 3 * w + 4;
    let (phentsize, mut phnum) = (u64::from(r.u16(at + 2)?), u64::from(r.u16(at + 4)?));
    let (shentsize, mut shnum) = (u64::from(r.u16(at + 6)?), u64::from(r.u16(at + 8)?));

    let mut secs = Vec::new();
    if shoff != 0 {
        if shentsize < if is64 { 64 } else { 40 } { return Err(format!("malformed ELF: section header entry size {shentsize} is too small")); }
        let first = read_sec(&r, shoff)?;
        if shnum == 0 { shnum = first.size; }
        if phnum == 0xffff { phnum = u64::from(first.info); }
        r.range(shoff, shnum.saturating_mul(shentsize), "section header table")?;
        for i in 0..shnum { secs.push(read_sec(&r, shoff + i * shentsize)?); }
        for s in &secs {
            if s.stype != SHT_NOBITS && s.stype != SHT_NULL { r.range(s.offset, s.size, "a section")?; }
        }
    }
    let mut segs = Vec::new();
    if phnum > 0 {
        if phentsize < if is64 { 56 } else { 32 } { return Err(format!("malformed ELF: program header entry size {phentsize} is too small")); }
        r.range(phoff, phnum.saturating_mul(phentsize), "program header table")?;
        for i in 0..phnum {
            let p = phoff + i * phentsize;
            let s = if is64 {
                Seg { ptype: r.u32(p)?, offset: r.word(p + 8)?, vaddr: r.word(p + 16)?, filesz: r.word(p + 32)? }
            } else {
                Seg { ptype: r.u32(p)?, offset: u64::from(r.u32(p + 4)?), vaddr: u64::from(r.u32(p + 8)?), filesz: u64::from(r.u32(p + 16)?) }
            };
            if s.ptype != 0 && s.filesz > 0 { r.range(s.offset, s.filesz, "a segment")?; }
            segs.push(s);
        }
    }

    let mut elf = Elf { etype, machine, ..Elf::default() };
    let interps: Vec<&Seg> = segs.iter().filter(|s| s.ptype == PT_INTERP).collect();
    if interps.len() > 1 { return Err("malformed ELF: more than one PT_INTERP segment".into()); }
    if let Some(p) = interps.first() {
        if p.filesz == 0 { return Err("malformed ELF: PT_INTERP segment is empty".into()); }
        elf.interpreter = Some(r.cstr(p.offset, p.offset + p.filesz, "PT_INTERP")?);
    }
    let dynamic = parse_dynamic(&r, &secs, &segs)?;
    let (mut soname, mut flags1) = (None, 0u64);
    if let Some(d) = &dynamic {
        for &(tag, value) in &d.entries {
            match tag {
                DT_NEEDED => elf.needed.push(d.string(&r, value)?),
                DT_SONAME => soname = Some(d.string(&r, value)?),
                DT_FLAGS_1 => flags1 |= value,
                _ => {}
            }
        }
    }
    elf.is_pie = etype == 3 && (flags1 & DF_1_PIE != 0 || elf.interpreter.is_some() || (soname.is_none() && entry != 0));
    elf.version_needs = parse_version_needs(&r, &secs, &segs, dynamic.as_ref())?;
    Ok(elf)
}

fn read_sec(r: &Reader, at: u64) -> Result<Sec, String> {
    let w = r.w();
    Ok(Sec { stype: r.u32(at + 4)?, offset: r.word(at + 8 + 2 * w)?, size: r.word(at + 8 + 3 * w)?, link: r.u32(at + 8 + 4 * w)?, info: r.u32(at + 12 + 4 * w)? })
}

fn vaddr_to_offset(segs: &[Seg], vaddr: u64, len: u64) -> Option<u64> {
    segs.iter()
        .find(|p| p.ptype == PT_LOAD && vaddr >= p.vaddr && vaddr.saturating_add(len) <= p.vaddr.saturating_add(p.filesz))
        .map(|p| p.offset + (vaddr - p.vaddr))
}

struct Dynamic { entries: Vec<(u64, u64)>, strtab: Option<(u64, u64)> }

impl Dynamic {
    fn string(&self, r: &Reader, value: u64) -> Result<String, String> {
        let (off, size) = self.strtab.ok_or("malformed ELF: a dynamic entry needs a string table, but none was found")?;
        r.range(off, size, "dynamic string table")?;
        r.cstr(off.saturating_add(value), off + size, "dynamic entry")
    }
}

/// The dynamic array: from the .dynamic section (sh_link names its string table) or PT_DYNAMIC.
fn parse_dynamic(r: &Reader, secs: &[Sec], segs: &[Seg]) -> Result<Option<Dynamic>, String> {
    let (offset, size, strsec) = if let Some(s) = secs.iter().find(|s| s.stype == SHT_DYNAMIC) {
        (s.offset, s.size, secs.get(s.link as usize).copied())
    } else if let Some(p) = segs.iter().find(|p| p.ptype == PT_DYNAMIC) {
        (p.offset, p.filesz, None)
    } else {
        return Ok(None);
    };
    let ent = 2 * r.w();
    let mut entries = Vec::new();
    let mut at = offset;
    while at + ent <= offset + size {
        let tag = r.word(at)?;
        if tag == 0 { break; }
        entries.push((tag, r.word(at + r.w())?));
        at += ent;
    }
    let get = |t: u64| entries.iter().find(|e| e.0 == t).map(|e| e.1);
    let strtab = match strsec {
        Some(s) if s.stype == SHT_STRTAB => Some((s.offset, s.size)),
        _ => match (get(DT_STRTAB), get(DT_STRSZ)) {
            (Some(addr), Some(sz)) => vaddr_to_offset(segs, addr, sz.max(1)).map(|o| (o, sz)),
            _ => None,
        },
    };
    Ok(Some(Dynamic { entries, strtab }))
}

/// Version names from .gnu.version_r (or DT_VERNEED), walking at most size/16 records.
fn parse_version_needs(r: &Reader, secs: &[Sec], segs: &[Seg], dynamic: Option<&Dynamic>) -> Result<Vec<String>, String> {
    let (offset, size, count, str_off, str_size) = if let Some(s) = secs.iter().find(|s| s.stype == SHT_GNU_VERNEED) {
        let st = secs.get(s.link as usize).filter(|t| t.stype == SHT_STRTAB).ok_or("malformed ELF: the version needs section does not link to a string table")?;
        (s.offset, s.size, u64::from(s.info), st.offset, st.size)
    } else {
        let Some(d) = dynamic else { return Ok(vec![]) };
        let get = |t: u64| d.entries.iter().find(|e| e.0 == t).map(|e| e.1);
        let (Some(addr), Some(count), Some((so, ss))) = (get(DT_VERNEED), get(DT_VERNEEDNUM), d.strtab) else { return Ok(vec![]) };
        let off = vaddr_to_offset(segs, addr, 1).ok_or("malformed ELF: DT_VERNEED points outside every loaded segment")?;
        let seg_end = segs.iter().find(|p| p.ptype == PT_LOAD && off >= p.offset && off < p.offset + p.filesz).map_or(off, |p| p.offset + p.filesz);
        (off, seg_end - off, count, so, ss)
    };
    if size == 0 { return Ok(vec![]); }
    let end = offset + size;
    let mut budget = size / 16;
    let mut step = |at: u64, what: &str| -> Result<(), String> {
        if budget == 0 || at < offset || at + 16 > end { return Err(format!("malformed ELF: {what} at offset {at:#x} is outside the version needs table")); }
        budget -= 1;
        Ok(())
    };
    let mut out = Vec::new();
    let mut at = offset;
    let mut i = 0;
    while count == 0 || i < count {
        step(at, "Verneed entry")?;
        let cnt = r.u16(at + 2)?;
        let mut aux = at + u64::from(r.u32(at + 8)?);
        for _ in 0..cnt {
            step(aux, "Vernaux entry")?;
            out.push(r.cstr(str_off.saturating_add(u64::from(r.u32(aux + 8)?)), str_off + str_size, "version needs")?);
            let next = r.u32(aux + 12)?;
            if next == 0 { break; }
            aux += u64::from(next);
        }
        let next = r.u32(at + 12)?;
        if next == 0 { break; }
        at += u64::from(next);
        i += 1;
    }
    Ok(out)
}
