//! The catalogue as the generated files write it, and its expansion into
//! [`Operation`]s, [`Param`]s and [`Field`]s on first use.
//!
//! Why not write the entries as `Operation`/`Field` constants: every field
//! would then be 20 bytes of pointers and lengths in the WebAssembly module
//! (its name, its type), every parameter 40, and pointers hardly compress:
//! 121 operations cost about 14 KB of the gzipped package that way. Written
//! compactly (names interned once in one string, each field two `u16`s,
//! each shared shape once) they cost about a third of that; expanding them
//! takes microseconds, once, and about 40 KB of memory.

use alloc::boxed::Box;
use alloc::vec::Vec;
use once_cell::race::OnceBox;

use super::{Field, Group, Method, Operation, Param, ParamType, Type, STR};

/// A type as the generated files write it (a `u16`):
/// - [`T_STR`] … [`T_ANY`]: a scalar (or free-form) value;
/// - `OBJECT + s`: a structure whose fields are shape `s`;
/// - `ARRAY | t`: a list of `t`.
pub(super) const T_STR: u16 = 0;
pub(super) const T_INT: u16 = 1;
pub(super) const T_LONG: u16 = 2;
pub(super) const T_FLOAT: u16 = 3;
pub(super) const T_BOOL: u16 = 4;
pub(super) const T_ANY: u16 = 5;
const OBJECT: u16 = 0x0400;
const ARRAY: u16 = 0x2000;

/// The type of a structure whose fields are shape `s`.
pub(super) const fn obj(s: u16) -> u16 {
    OBJECT + s
}

/// The type of a list of `t`.
pub(super) const fn arr(t: u16) -> u16 {
    ARRAY | t
}

/// A parameter's type as the generated files write it (a `u16`):
/// - [`P_STR`], [`P_BOOL`], [`P_INT`] (32-bit), [`P_LONG`] (64-bit);
/// - `ENUM + e`: one of the values of enumeration `e`;
/// - `LIMITS + l`: an integer within limits `l`;
/// - `JSON | t`, `FLAT | t`: a list or structure of type `t`, sent as one
///   JSON text or as numbered pairs.
pub(super) const P_STR: u16 = 0;
pub(super) const P_BOOL: u16 = 1;
pub(super) const P_INT: u16 = 2;
pub(super) const P_LONG: u16 = 3;
const ENUM: u16 = 0x1000;
const LIMITS: u16 = 0x2000;
const JSON: u16 = 0x4000;
const FLAT: u16 = 0x8000;

/// One of the values of enumeration `e`.
pub(super) const fn one_of(e: u16) -> u16 {
    ENUM + e
}

/// An integer within limits `l`.
pub(super) const fn within(l: u16) -> u16 {
    LIMITS + l
}

/// A list or structure sent as one JSON text.
pub(super) const fn json(t: u16) -> u16 {
    JSON | t
}

/// A list sent as numbered pairs.
pub(super) const fn flat(t: u16) -> u16 {
    FLAT | t
}

/// Parameter flags.
pub(super) const REQUIRED: u8 = 1;
pub(super) const OPTIONAL: u8 = 0;
pub(super) const SECRET: u8 = 2;
pub(super) const DEPRECATED: u8 = 4;

/// One parameter: its name (an index into the interned names), its type
/// and its flags.
#[derive(Clone, Copy)]
pub(super) struct P(pub u16, pub u16, pub u8);

/// One operation as a generated group file writes it.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    pub action: &'static str,
    pub method: Method,
    pub deprecated: bool,
    pub summary: &'static str,
    pub params: &'static [P],
    /// The shape of its answer (without the common fields).
    pub response: u16,
}

/// What the generated files hold, read by [`expand`].
pub(super) struct Tables {
    /// Every name, each followed by a space.
    pub names: &'static str,
    /// Each shape: `(name, type)` of its fields, in order.
    pub shapes: &'static [&'static [(u16, u16)]],
    /// The values of each enumeration.
    pub enums: &'static [&'static [&'static str]],
    /// The inclusive limits of each limited integer.
    pub limits: &'static [(i64, i64)],
    /// The operations of each group.
    pub groups: &'static [(Group, &'static [Entry])],
}

/// The expanded catalogue, built once. (`OnceBox` of the `race` kind: a
/// second thread racing the first builds its own copy and drops it; the
/// WebAssembly module is single-threaded, and both copies are equal.)
static BUILT: OnceBox<&'static [Operation]> = OnceBox::new();

/// Every operation, expanded from `tables` on the first call.
pub(super) fn operations(tables: &Tables) -> &'static [Operation] {
    BUILT.get_or_init(|| Box::new(expand(tables)))
}

/// Builds every entry's `Operation`. Each shape is expanded once, however
/// many entries use it.
fn expand(tables: &Tables) -> &'static [Operation] {
    let mut expander = Expander {
        tables,
        names: tables.names.split_terminator(' ').collect(),
        shapes: alloc::vec![None; tables.shapes.len()],
    };
    let mut out = Vec::new();
    for (group, entries) in tables.groups {
        for entry in *entries {
            let params: Vec<Param> = entry.params.iter().map(|p| expander.param(*p)).collect();
            out.push(Operation {
                action: entry.action,
                group: *group,
                method: entry.method,
                deprecated: entry.deprecated,
                doc: doc(entry.deprecated),
                summary: entry.summary,
                params: Vec::leak(params),
                response: expander.shape(entry.response),
            });
        }
    }
    Vec::leak(out)
}

/// Where an entry comes from; empty in the npm package's WebAssembly, like
/// the summaries (see `group!` in `mod.rs`).
fn doc(deprecated: bool) -> &'static str {
    if cfg!(all(target_arch = "wasm32", feature = "std")) {
        ""
    } else if deprecated {
        super::REMOVED_DOC
    } else {
        super::CURRENT_DOC
    }
}

struct Expander<'t> {
    tables: &'t Tables,
    /// The interned names, by index.
    names: Vec<&'static str>,
    shapes: Vec<Option<&'static [Field]>>,
}

impl Expander<'_> {
    fn shape(&mut self, index: u16) -> &'static [Field] {
        if let Some(done) = self.shapes[usize::from(index)] {
            return done;
        }
        let fields: Vec<Field> = self.tables.shapes[usize::from(index)]
            .iter()
            .map(|&(name, ty)| Field {
                name: self.names[usize::from(name)],
                ty: self.ty(ty),
            })
            .collect();
        let fields: &'static [Field] = Vec::leak(fields);
        self.shapes[usize::from(index)] = Some(fields);
        fields
    }

    fn ty(&mut self, code: u16) -> Type {
        if code & ARRAY != 0 {
            return Type::Array(Box::leak(Box::new(self.ty(code & !ARRAY))));
        }
        match code {
            T_STR => Type::Str,
            T_INT => Type::Int,
            T_LONG => Type::Long,
            T_FLOAT => Type::Float,
            T_BOOL => Type::Bool,
            T_ANY => Type::Any,
            _ => Type::Object(self.shape(code - OBJECT)),
        }
    }

    fn param(&mut self, P(name, ty, flags): P) -> Param {
        let ty = match ty {
            P_STR => STR,
            P_BOOL => ParamType::Bool,
            P_INT => super::INT,
            P_LONG => super::LONG,
            _ if ty & FLAT != 0 => ParamType::Flat(Box::leak(Box::new(self.ty(ty & !FLAT)))),
            _ if ty & JSON != 0 => ParamType::Json(Box::leak(Box::new(self.ty(ty & !JSON)))),
            _ if ty & LIMITS != 0 => {
                let (min, max) = self.tables.limits[usize::from(ty - LIMITS)];
                ParamType::Int { min, max }
            }
            _ => ParamType::Enum(self.tables.enums[usize::from(ty - ENUM)]),
        };
        Param {
            name: self.names[usize::from(name)],
            ty,
            required: flags & REQUIRED != 0,
            secret: flags & SECRET != 0,
            deprecated: flags & DEPRECATED != 0,
        }
    }
}
