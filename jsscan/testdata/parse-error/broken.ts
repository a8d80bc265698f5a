class A {
  async run(: void { await this.run(); } // want LEAK000 "cannot scan: .*\(line 2\)"
}
