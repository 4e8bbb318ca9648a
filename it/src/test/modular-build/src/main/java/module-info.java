module demo.store {
  exports demo.store;
}
