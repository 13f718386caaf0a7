package org.bn4j;

/** Output of the frozen model fixture on its fixed input, recorded when the fixture was written. */
final class FrozenModelExpectations {
    static final float[] OUTPUT = {0.0037928836f, 0.56832117f, 0.42788592f, 0.21147309f, 0.5035018f, 0.28502515f};

    private FrozenModelExpectations() {
    }
}
