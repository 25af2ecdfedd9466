//! Runs the generated client against a loopback server and prints what it got.

use petstore_build_example::{loopback, pet_name};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = loopback::serve_once(200, "application/json", r#"{"id":1,"name":"Rex","photoUrls":[]}"#).await?;
    let name = pet_name(&server.base_url, 1).await?;
    println!("pet 1 is {name}");
    Ok(())
}
