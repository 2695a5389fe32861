//! The shipped Baichuan-M2 template, rendered the way mistral.rs 0.8.1 renders it (minijinja,
//! lstrip/trim blocks, Python string methods), ends each thinking mode's prompt exactly as
//! intended. Upstream's "off" opened a think block and never closed it.

use anamnesis_testkit::fixtures::baichuan_template;
use minijinja::{context, Environment, Value};

/// (enable_thinking, reasoning_effort) as crates/engine/src/sampling.rs sends them.
const ON: (bool, &str) = (true, "high");
const OFF: (bool, &str) = (false, "medium");
const AUTO: (bool, &str) = (true, "medium");

fn render(mode: (bool, &str), messages: Value) -> String {
    let mut env = Environment::new();
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.set_lstrip_blocks(true);
    env.set_trim_blocks(true);
    let src = std::fs::read_to_string(baichuan_template()).unwrap();
    env.add_template("t", &src).unwrap();
    env.get_template("t")
        .unwrap()
        .render(context! {
            messages => messages,
            add_generation_prompt => true,
            enable_thinking => mode.0,
            reasoning_effort => mode.1,
        })
        .unwrap()
}

fn two_messages() -> Value {
    Value::from_serialize(serde_json::json!([
        {"role": "system", "content": "SYS"},
        {"role": "user", "content": "Hi"}
    ]))
}

#[test]
fn on_forces_an_open_think_block() {
    assert!(render(ON, two_messages()).ends_with("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n"));
}

#[test]
fn off_closes_an_empty_think_block() {
    assert!(render(OFF, two_messages()).ends_with("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
}

#[test]
fn auto_adds_nothing_after_the_assistant_header() {
    assert!(render(AUTO, two_messages()).ends_with("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
}

#[test]
fn the_system_prompt_comes_first_and_earlier_reasoning_is_not_replayed() {
    let msgs = Value::from_serialize(serde_json::json!([
        {"role": "system", "content": "SYS"},
        {"role": "user", "content": "Q1"},
        {"role": "assistant", "content": "<think>\nold thoughts\n</think>\n\nA1"},
        {"role": "user", "content": "Q2"}
    ]));
    let p = render(AUTO, msgs);
    assert!(p.starts_with("<|im_start|>system\nSYS<|im_end|>\n"));
    assert!(p.contains("A1"));
    assert!(!p.contains("old thoughts"), "{p}");
}
