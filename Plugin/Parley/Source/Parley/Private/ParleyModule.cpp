#include "Modules/ModuleManager.h"
#include "ParleyLog.h"

DEFINE_LOG_CATEGORY(LogParley);

IMPLEMENT_MODULE(FDefaultModuleImpl, Parley)
