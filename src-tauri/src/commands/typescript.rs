//! Writes `ui/src/bindings/commands.ts`: one typed wrapper per `#[tauri::command]`, read
//! from the command modules themselves, so a renamed command, argument or type fails the
//! UI's type check instead of an end-to-end run. The argument and result types are the
//! ts-rs bindings written beside it.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;
use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

pub const MODULES: [&str; 9] = [
    "connect",
    "directory",
    "devices",
    "account",
    "admin",
    "transfer",
    "audit",
    "updates",
    "window",
];

/// Tauri's streaming argument, imported from its API package instead of the bindings.
const CHANNEL: &str = "Channel";

/// TypeScript words a parameter may not be called.
const RESERVED: [&str; 6] = ["new", "default", "delete", "function", "class", "var"];

pub fn commands_ts(bindings: &Path) -> String {
    let known: BTreeSet<String> = std::fs::read_dir(bindings)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".ts").map(str::to_owned)
        })
        .collect();
    let mut imports = BTreeSet::new();
    let mut body = String::new();
    for module in MODULES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/commands/{module}.rs"));
        let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for item in file.items {
            let Item::Fn(function) = item else { continue };
            let is_command = function
                .attrs
                .iter()
                .any(|a| a.path().segments.iter().any(|s| s.ident == "command"));
            if !is_command {
                continue;
            }
            let mut ts = |ty: &Type| typescript(ty, &known, &mut imports);
            let name = function.sig.ident.to_string();
            let mut params = Vec::new();
            let mut keys = Vec::new();
            for input in &function.sig.inputs {
                let FnArg::Typed(arg) = input else { continue };
                let Pat::Ident(ident) = &*arg.pat else {
                    continue;
                };
                // Tauri fills these in itself; the UI never passes them.
                if last_segment(&arg.ty).is_some_and(|(name, _)| {
                    ["State", "WebviewWindow", "AppHandle"].contains(&name.as_str())
                }) {
                    continue;
                }
                let rust = ident.ident.to_string();
                let key = camel(&rust);
                let local = if RESERVED.contains(&key.as_str()) {
                    format!("{key}_")
                } else {
                    key.clone()
                };
                params.push(format!("{local}: {}", ts(&arg.ty)));
                keys.push(if local == key {
                    key
                } else {
                    format!("{key}: {local}")
                });
            }
            let result = match &function.sig.output {
                ReturnType::Default => "undefined".to_owned(),
                ReturnType::Type(_, ty) => match last_segment(ty) {
                    Some((reply, Some(inner))) if reply == "Reply" => ts(inner),
                    _ => ts(ty),
                },
            };
            let docs: Vec<String> = function
                .attrs
                .iter()
                .filter_map(|a| match &a.meta {
                    syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => Some(s.value().trim().to_owned()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            if !docs.is_empty() {
                writeln!(body, "    /** {} */", docs.join(" ")).unwrap();
            }
            let args = if keys.is_empty() {
                String::new()
            } else {
                format!(", {{ {} }}", keys.join(", "))
            };
            writeln!(
                body,
                "    {}: ({}): Promise<{result}> => invoke<{result}>(\"{name}\"{args}),",
                camel(&name),
                params.join(", "),
            )
            .unwrap();
        }
    }
    let mut out = String::from(
        "// Generated from the #[tauri::command]s in src-tauri/src/commands by `cargo xtask codegen`. Do not edit.\n",
    );
    for name in &imports {
        if name == CHANNEL {
            writeln!(
                out,
                "import type {{ {CHANNEL} }} from \"@tauri-apps/api/core\";"
            )
            .unwrap();
        } else {
            writeln!(out, "import type {{ {name} }} from \"./{name}\";").unwrap();
        }
    }
    out.push_str(
        "\n/** Invokes one command by name with its arguments. */\n\
         export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** Every command of the app, typed from its Rust signature. */\n\
         export function commands(invoke: Invoke) {\n  return {\n",
    );
    out.push_str(&body);
    out.push_str("  };\n}\n");
    out
}

fn last_segment(ty: &Type) -> Option<(String, Option<&Type>)> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    let inner = match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((segment.ident.to_string(), inner))
}

fn typescript(ty: &Type, known: &BTreeSet<String>, imports: &mut BTreeSet<String>) -> String {
    if let Type::Tuple(tuple) = ty
        && tuple.elems.is_empty()
    {
        return "undefined".into();
    }
    if let Type::Reference(reference) = ty {
        return typescript(&reference.elem, known, imports);
    }
    let Some((name, inner)) = last_segment(ty) else {
        panic!("a command uses a type the generator cannot name in TypeScript");
    };
    let mut of = |t: Option<&Type>| typescript(t.expect("a type argument"), known, imports);
    match name.as_str() {
        "String" | "str" => "string".into(),
        "bool" => "boolean".into(),
        "i32" | "i64" | "u16" | "u32" | "u64" | "usize" => "number".into(),
        "Vec" => format!("Array<{}>", of(inner)),
        "Option" => format!("{} | null", of(inner)),
        CHANNEL => {
            let message = of(inner);
            imports.insert(CHANNEL.to_owned());
            format!("{CHANNEL}<{message}>")
        }
        other => {
            assert!(
                known.contains(other),
                "{other} is used by a command but has no TypeScript binding; export it in commands/mod.rs"
            );
            imports.insert(other.to_owned());
            other.to_owned()
        }
    }
}

/// Tauri's default: Rust's snake_case argument names are camelCase in JavaScript.
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
