# Sourced by the bench scripts. The benchmarks live in the modules' test code (the product jars carry none), so a
# script builds and installs the modules, then runs its benchmark on a module's test class path.

# Builds every module (jars included: some benches start the API or worker jar) and installs them for the class paths.
bench_build() {
  mvn -B -q -Dstyle.color=never -DskipTests install
}

# The test class path of module $1 (e.g. services/worker): its test classes, its classes, its test-scope dependencies.
bench_classpath() {
  local file
  file=$(mktemp)
  mvn -B -q -Dstyle.color=never dependency:build-classpath -pl "$1" -Dmdep.includeScope=test \
    -Dmdep.outputFile="$file" >/dev/null
  printf '%s/target/test-classes:%s/target/classes:%s' "$1" "$1" "$(cat "$file")"
  rm -f "$file"
}
