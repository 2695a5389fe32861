//! The patched mistral.rs loader never falls back to the Hugging Face hub once the engine has
//! switched the hub off: a model id that is not a local path is refused with a clear error,
//! where 0.8.1 would look it up on huggingface.co (a DNS lookup and a request naming the file).

use std::sync::atomic::Ordering;

#[tokio::test(flavor = "multi_thread")]
async fn a_model_id_that_is_not_a_local_path_is_refused_not_looked_up() {
    mistralrs::core::HUB_OFFLINE.store(true, Ordering::Relaxed);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-model");
    let err = mistralrs::GgufModelBuilder::new("no-such-org/no-such-repo", vec!["model.gguf"])
        .build()
        .await
        .err()
        .expect("nothing to load");
    let text = format!("{err:#}");
    assert!(text.contains("the hub is off"), "{text}");
    let err =
        mistralrs::TextModelBuilder::new(missing.display().to_string()).build().await.err().expect("nothing to load");
    let text = format!("{err:#}");
    assert!(text.contains("the hub is off"), "{text}");
}
