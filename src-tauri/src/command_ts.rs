//! Writes `ui/src/lib/bindings/commands.ts`: a typed wrapper for every command of
//! `command_list.rs`, with the argument names, argument types, result type and doc comment read
//! from the #[tauri::command] function itself. The UI calls commands only through it, so a
//! renamed command or argument, or a changed type, fails `svelte-check` instead of failing at
//! run time; scripts/test.sh fails if the committed file is not what this test wrote.

#[cfg(test)]
mod tests {
    use crate::COMMAND_PATHS;
    use std::collections::BTreeSet;
    use std::fmt::Write;
    use std::path::PathBuf;

    /// Arguments Tauri supplies itself; the UI never passes them.
    const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow"];

    fn bindings_dir() -> PathBuf {
        std::env::var_os("TS_RS_EXPORT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings"))
    }

    fn camel(snake: &str) -> String {
        let mut out = String::new();
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

    fn generic_args(seg: &syn::PathSegment) -> Vec<&syn::Type> {
        match &seg.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|g| match g {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
        match ty {
            syn::Type::Path(p) => p.path.segments.last(),
            _ => None,
        }
    }

    /// The TypeScript type of a Rust type in a command signature; named types must have a
    /// ts-rs binding next to the generated file.
    fn ts(ty: &syn::Type, imports: &mut BTreeSet<String>, context: &str) -> String {
        match ty {
            syn::Type::Reference(r) => return ts(&r.elem, imports, context),
            syn::Type::Tuple(t) if t.elems.is_empty() => return "void".into(),
            _ => {}
        }
        let seg = last_segment(ty).unwrap_or_else(|| panic!("{context}: unsupported type"));
        let name = seg.ident.to_string();
        let args = generic_args(seg);
        match name.as_str() {
            "String" | "str" | "PathBuf" => "string".into(),
            "bool" => "boolean".into(),
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" | "f32" | "f64" => {
                "number".into()
            }
            "Option" => format!("{} | null", ts(args[0], imports, context)),
            "Vec" => format!("Array<{}>", ts(args[0], imports, context)),
            "Channel" => {
                imports.insert("Channel".into());
                format!("Channel<{}>", ts(args[0], imports, context))
            }
            "AppResult" | "Result" => ts(args[0], imports, context),
            _ => {
                assert!(
                    bindings_dir().join(format!("{name}.ts")).exists(),
                    "{context}: {name} has no TypeScript binding (derive ts_rs::TS with #[ts(export)])"
                );
                imports.insert(name.clone());
                name
            }
        }
    }

    fn doc(attrs: &[syn::Attribute]) -> Vec<String> {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value().trim().to_string()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    fn find_fn(module: &str, name: &str) -> syn::ItemFn {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src").join(format!("{module}.rs"));
        let src = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        file.items
            .into_iter()
            .find_map(|item| match item {
                syn::Item::Fn(f) if f.sig.ident == name => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{module}::{name} is in command_list.rs but not in {}", path.display()))
    }

    pub(crate) fn generate() -> String {
        let mut imports = BTreeSet::new();
        let mut body = String::new();
        for (module, name) in COMMAND_PATHS {
            let f = find_fn(module, name);
            let context = format!("{module}::{name}");
            assert!(
                f.attrs.iter().any(|a| a.path().segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>()
                    == ["tauri", "command"]),
                "{context} is listed but not marked #[tauri::command]"
            );
            let mut params = Vec::new();
            let mut keys = Vec::new();
            for input in &f.sig.inputs {
                let syn::FnArg::Typed(pt) = input else { panic!("{context}: a command takes no self") };
                let skip = last_segment(&pt.ty).is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str()));
                if skip {
                    continue;
                }
                let syn::Pat::Ident(id) = &*pt.pat else { panic!("{context}: arguments must be plain names") };
                let arg = camel(&id.ident.to_string());
                params.push(format!("{arg}: {}", ts(&pt.ty, &mut imports, &context)));
                keys.push(arg);
            }
            let ret = match &f.sig.output {
                syn::ReturnType::Default => "void".to_string(),
                syn::ReturnType::Type(_, ty) => ts(ty, &mut imports, &context),
            };
            let lines = doc(&f.attrs);
            if !lines.is_empty() {
                writeln!(body, "    /** {} */", lines.join(" ").replace("*/", "* /")).unwrap();
            }
            let args = if keys.is_empty() { String::new() } else { format!(", {{ {} }}", keys.join(", ")) };
            writeln!(
                body,
                "    {}: ({}): Promise<{ret}> => invoke<{ret}>(\"{name}\"{args}),",
                camel(name),
                params.join(", ")
            )
            .unwrap();
        }
        let mut out = String::from(
            "// Generated by src-tauri/src/command_ts.rs from the #[tauri::command] functions listed in\n\
             // src-tauri/command_list.rs (cargo test). Do not edit this file manually.\n\n",
        );
        if imports.remove("Channel") {
            out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
        }
        for name in &imports {
            writeln!(out, "import type {{ {name} }} from \"./{name}\";").unwrap();
        }
        out.push_str(
            "\n/** How a command is invoked: `invoke` of @tauri-apps/api/core, or a wrapper of it. */\n\
             export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
             /** Every command the UI may call, typed as its Rust function. */\n\
             export function commands(invoke: Invoke) {\n  return {\n",
        );
        out.push_str(&body);
        out.push_str("  };\n}\n\nexport type Commands = ReturnType<typeof commands>;\n\n/** The command names, as Tauri sees them. */\nexport const COMMAND_NAMES = [\n");
        for (_, name) in COMMAND_PATHS {
            writeln!(out, "  \"{name}\",").unwrap();
        }
        out.push_str("] as const;\n");
        out
    }

    #[test]
    fn the_ui_command_wrappers_are_written_from_the_rust_commands() {
        let path = bindings_dir().join("commands.ts");
        let text = generate();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).unwrap();
        }
    }
}
