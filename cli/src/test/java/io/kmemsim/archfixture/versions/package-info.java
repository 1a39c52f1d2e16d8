/** Architecture-rule fixture: a class that compares kernel versions in place instead of asking the feature table. */
package io.kmemsim.archfixture.versions;
