// Deliberately invalid WGSL: the engine tests check that its compiler message reaches an EngineError.
@compute @workgroup_size(1)
fn main() {
  let x: f32 = undefinedThing;
}
