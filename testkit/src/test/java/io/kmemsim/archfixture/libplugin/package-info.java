/** Architecture-rule fixture: a plugin bundling a library. */
package io.kmemsim.archfixture.libplugin;
